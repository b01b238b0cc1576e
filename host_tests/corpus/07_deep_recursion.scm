;; 07: deep non-tail recursion (2000 frames here; 10,000 in test_budgets.py),
;; recursive list building

(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(define big (build 2000))
(display (length big)) (newline)
(display (car big)) (newline)
(display (list-ref big 1999)) (newline)

(define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
(display (sum-to 2000)) (newline)

(define (sum-list lst) (if (null? lst) 0 (+ (car lst) (sum-list (cdr lst)))))
(display (sum-list big)) (newline)

(define (my-map f lst) (if (null? lst) '() (cons (f (car lst)) (my-map f (cdr lst)))))
(display (sum-list (my-map (lambda (x) (* 2 x)) big))) (newline)
(display (car (my-map (lambda (x) (- x)) big))) (newline)

(define (my-append a b) (if (null? a) b (cons (car a) (my-append (cdr a) b))))
(display (length (my-append big '(x y z)))) (newline)

(define (count-up n) (if (= n 0) '() (append (count-up (- n 1)) (list n))))
(display (count-up 10)) (newline)

(define (depth tree)
  (if (pair? tree) (+ 1 (depth (car tree))) 0))
(define (nest n) (if (= n 0) '() (list (nest (- n 1)))))
(display (depth (nest 2000))) (newline)
(write (nest 4)) (newline)

(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display (fib 20)) (newline)

(define (ackermann m n)
  (cond ((= m 0) (+ n 1))
        ((= n 0) (ackermann (- m 1) 1))
        (else (ackermann (- m 1) (ackermann m (- n 1))))))
(display (ackermann 2 3)) (newline)
(display (ackermann 3 3)) (newline)

(define (hanoi n) (if (= n 0) 0 (+ 1 (* 2 (hanoi (- n 1))))))
(display (hanoi 20)) (newline)

(define (flatten x)
  (cond ((null? x) '())
        ((pair? x) (append (flatten (car x)) (flatten (cdr x))))
        (else (list x))))
(display (flatten '(1 (2 (3 4)) ((5)) 6))) (newline)

(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(display (fact 20)) (newline)
(display (string-length (number->string (fact 100)))) (newline)
