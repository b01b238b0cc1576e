;; 05: closures, counters, shared state, higher-order procedures

(define (make-counter)
  (let ((n 0))
    (lambda () (set! n (+ n 1)) n)))
(define c1 (make-counter))
(define c2 (make-counter))
(c1)
(c1)
(display (c1)) (newline)
(display (c2)) (newline)
(display (c1)) (newline)

(define (make-adder n) (lambda (x) (+ x n)))
(define add5 (make-adder 5))
(define add10 (make-adder 10))
(display (add5 1)) (newline)
(display (add10 1)) (newline)
(display ((make-adder -3) 3)) (newline)

(define (make-account balance)
  (define (withdraw amt) (set! balance (- balance amt)) balance)
  (define (deposit amt) (set! balance (+ balance amt)) balance)
  (lambda (op amt)
    (cond ((eq? op 'withdraw) (withdraw amt))
          ((eq? op 'deposit) (deposit amt))
          (else balance))))
(define acc (make-account 100))
(display (acc 'withdraw 30)) (newline)
(display (acc 'deposit 50)) (newline)
(display (acc 'balance 0)) (newline)
(define acc2 (make-account 5))
(display (acc2 'deposit 1)) (newline)
(display (acc 'balance 0)) (newline)

;; two closures sharing one variable
(define (make-cell v)
  (cons (lambda () v) (lambda (nv) (set! v nv))))
(define cell (make-cell 'first))
(display ((car cell))) (newline)
((cdr cell) 'second)
(display ((car cell))) (newline)

;; closures capture the binding, not the value
(define captured 1)
(define (get-captured) captured)
(set! captured 2)
(display (get-captured)) (newline)

;; list of closures made in a loop
(define procs
  (let loop ((i 0) (acc '()))
    (if (= i 4) (reverse acc) (loop (+ i 1) (cons (lambda () (* i 100)) acc)))))
(display (map (lambda (p) (p)) procs)) (newline)

;; accumulator generator
(define (make-acc total)
  (lambda (x) (set! total (+ total x)) total))
(define a (make-acc 10))
(a 10)
(display (a 10)) (newline)

;; currying
(define (curry3 f) (lambda (x) (lambda (y) (lambda (z) (f x y z)))))
(display ((((curry3 list) 1) 2) 3)) (newline)
(display ((((curry3 +) 1) 2) 3)) (newline)

;; fold implemented with closures
(define (fold-left f init lst)
  (if (null? lst) init (fold-left f (f init (car lst)) (cdr lst))))
(define (fold-right f init lst)
  (if (null? lst) init (f (car lst) (fold-right f init (cdr lst)))))
(display (fold-left + 0 '(1 2 3 4 5))) (newline)
(display (fold-left (lambda (acc x) (cons x acc)) '() '(1 2 3))) (newline)
(display (fold-right cons '() '(1 2 3))) (newline)
(display (fold-right (lambda (x acc) (+ acc (* x x))) 0 '(1 2 3))) (newline)

(define (filter pred lst)
  (cond ((null? lst) '())
        ((pred (car lst)) (cons (car lst) (filter pred (cdr lst))))
        (else (filter pred (cdr lst)))))
(display (filter odd? '(1 2 3 4 5 6 7))) (newline)
(display (filter (lambda (x) (> x 3)) '(1 5 2 6 3 7))) (newline)

;; memoization with an association list in a closure
(define memo-fib
  (let ((table '()))
    (lambda (n)
      (let ((hit (assv n table)))
        (if hit
            (cdr hit)
            (let ((v (if (< n 2) n (+ (memo-fib (- n 1)) (memo-fib (- n 2))))))
              (set! table (cons (cons n v) table))
              v))))))
(display (memo-fib 30)) (newline)
(display (memo-fib 90)) (newline)

;; counter with reset via message passing
(define (make-counter2)
  (let ((n 0))
    (lambda (msg)
      (case msg
        ((inc) (set! n (+ n 1)) n)
        ((reset) (set! n 0) n)
        (else n)))))
(define k (make-counter2))
(k 'inc)
(k 'inc)
(display (k 'get)) (newline)
(display (k 'reset)) (newline)
(display (k 'inc)) (newline)
