;; 24: multiple values (values, call-with-values, let-values, let*-values,
;; receive, define-values), apply with leading args, case-lambda, named let, do
(use-modules (srfi srfi-8) (srfi srfi-11))

(display (call-with-values (lambda () (values 1 2 3)) list)) (newline)
(display (call-with-values (lambda () (values)) list)) (newline)
(display (call-with-values (lambda () (values 7)) (lambda (x) (* x x)))) (newline)
(display (call-with-values (lambda () 5) (lambda (x) (+ x 1)))) (newline)
(display (call-with-values (lambda () (values 1 2 3 4)) (lambda (a b . rest) (list a b rest)))) (newline)
(display (call-with-values (lambda () (values 10 3)) quotient)) (newline)

(define (div-mod a b) (values (quotient a b) (remainder a b)))
(display (call-with-values (lambda () (div-mod 17 5)) list)) (newline)

(let-values (((q r) (div-mod 47 6)) ((x) (values 'single)))
  (display (list q r x)) (newline))
(let-values (((a . rest) (values 1 2 3)) (all (values 4 5)))
  (display (list a rest all)) (newline))
;; let-values binds in parallel: the inner x refers to the outer one
(let ((x 'outer))
  (let-values (((x) (values 'inner)) ((y) (values x)))
    (display (list x y)) (newline)))
(let*-values (((a b) (values 1 2)) ((c) (values (+ a b))) ((d e) (values c (* c 2))))
  (display (list a b c d e)) (newline))

(receive (q r) (div-mod 100 7) (display (list q r)) (newline))
(receive (first . others) (values 'a 'b 'c) (display (list first others)) (newline))
(receive all (values 1 2 3) (display all) (newline))

(define-values (dq dr) (div-mod 29 4))
(display (list dq dr)) (newline)
(define-values (h . t) (values 1 2 3))
(display (list h t)) (newline)
(define (local-define-values)
  (define-values (a b) (values 3 4))
  (* a b))
(display (local-define-values)) (newline)

;; exact-integer-sqrt returns two values
(display (call-with-values (lambda () (exact-integer-sqrt 17)) list)) (newline)

;; apply with several leading arguments
(display (apply + '())) (newline)
(display (apply + 1 2 '(3 4 5))) (newline)
(display (apply list 'a 'b '(c d))) (newline)
(display (apply max 3 '(9 2))) (newline)
(display (apply (lambda args (length args)) 1 2 3 '(4 5 6))) (newline)
(display (apply map list '((1 2 3) (4 5 6)))) (newline)
(display (apply apply (list + 1 '(2 3)))) (newline)
(display (apply values '(1))) (newline)

;; case-lambda dispatching on arity, with a rest clause
(define area
  (case-lambda
    ((r) (* 3 r r))
    ((w h) (* w h))
    ((a b c) (+ a b c))
    ((a b c . more) (list 'many (length more)))))
(display (list (area 2) (area 3 4) (area 1 2 3) (area 1 2 3 4 5))) (newline)
(define opt-add
  (case-lambda
    (() 0)
    ((x) x)
    ((x . rest) (+ x (apply opt-add rest)))))
(display (list (opt-add) (opt-add 5) (opt-add 1 2 3 4))) (newline)
(define only-rest (case-lambda (args (reverse args))))
(display (only-rest 1 2 3)) (newline)

;; named let
(display (let loop ((i 0) (acc '())) (if (= i 5) acc (loop (+ i 1) (cons i acc))))) (newline)
(display (let fib ((n 20)) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))) (newline)
(define (digits n)
  (let loop ((n n) (ds '()))
    (if (< n 10) (cons n ds) (loop (quotient n 10) (cons (remainder n 10) ds)))))
(display (digits 9053)) (newline)

;; do with several variables, one without a step, and an empty body
(display (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 4) acc))) (newline)
(display (do ((vec (make-vector 5)) (i 0 (+ i 1))) ((= i 5) vec) (vector-set! vec i (* i i)))) (newline)
(display (do ((i 1 (+ i 1)) (p 1 (* p i))) ((> i 10) p))) (newline)
(display (let ((x '(1 3 5 7 9))) (do ((x x (cdr x)) (sum 0 (+ sum (car x)))) ((null? x) sum)))) (newline)
(define steps 0)
(display (do ((limit 3) (i 0 (+ i 1))) ((= i limit) (list 'done i)) (set! steps (+ steps 1)))) (newline)
(display steps) (newline)
