;; 06: proper tail calls: long loops in constant space (named let, do,
;; mutual recursion, tail calls through if/cond/and/or/when/begin/let)

;; 100,000 iterations with small counters (100 x 1000); the 1,000,000
;; iteration check is in host_tests/test_budgets.py
(display (let loop ((i 0) (j 0))
           (cond ((= i 100) (list i j))
                 ((= j 999) (loop (+ i 1) 0))
                 (else (loop i (+ j 1))))))
(newline)

(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(display (my-even? 8000)) (newline)
(display (my-odd? 8000)) (newline)
(display (my-even? 8001)) (newline)

(define (count-down n) (cond ((= n 0) 'done) (else (count-down (- n 1)))))
(display (count-down 8000)) (newline)

(define (loop-and n) (and #t (if (= n 0) 'and-done (loop-and (- n 1)))))
(display (loop-and 8000)) (newline)
(define (loop-or n) (or #f (if (= n 0) 'or-done (loop-or (- n 1)))))
(display (loop-or 8000)) (newline)
(define (loop-when n) (if (= n 0) 'when-done (when #t (loop-when (- n 1)))))
(display (loop-when 8000)) (newline)
(define (loop-begin n) (begin 1 (if (= n 0) 'begin-done (loop-begin (- n 1)))))
(display (loop-begin 8000)) (newline)
(define (loop-let n) (let ((m (- n 1))) (if (< m 0) 'let-done (loop-let m))))
(display (loop-let 8000)) (newline)
(define (loop-let* n) (let* ((m (- n 1)) (k m)) (if (< k 0) 'let*-done (loop-let* k))))
(display (loop-let* 8000)) (newline)
(define (loop-case n)
  (case (if (= n 0) 'stop 'go)
    ((stop) 'case-done)
    (else (loop-case (- n 1)))))
(display (loop-case 8000)) (newline)

(display (do ((i 0 (+ i 1))) ((= i 8000) i))) (newline)

;; tail call via apply
(define (loop-apply n) (if (= n 0) 'apply-done (apply loop-apply (list (- n 1)))))
(display (loop-apply 8000)) (newline)

;; tail call to a closure passed as an argument
(define (ping n k) (if (= n 0) (k 'ping-done) (pong (- n 1) k)))
(define (pong n k) (ping n k))
(display (ping 8000 (lambda (v) v))) (newline)

;; accumulating loop with set! in a do body
(define total 0)
(do ((i 0 (+ i 1))) ((= i 8000)) (set! total (+ total 2)))
(display total) (newline)

;; gcd-like iteration
(define (my-gcd a b) (if (= b 0) a (my-gcd b (remainder a b))))
(display (my-gcd 1071 462)) (newline)
(display (my-gcd 832040 514229)) (newline)
