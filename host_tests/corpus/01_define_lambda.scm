;; 01: define (plain, procedure, rest args, internal defines), lambda
;; with fixed and rest arguments, begin, set!, quote.

(define x 10)
(display x) (newline)
(define (square n) (* n n))
(display (square 7)) (newline)
(define (add3 a b c) (+ a b c))
(display (add3 1 2 3)) (newline)

;; rest arguments in define
(define (f a . rest) rest)
(write (f 1)) (newline)
(write (f 1 2)) (newline)
(write (f 1 2 3 4)) (newline)
(define (g a b . rest) (list a b rest))
(write (g 1 2)) (newline)
(write (g 1 2 3)) (newline)
(define (all . args) args)
(write (all)) (newline)
(write (all 'a 'b)) (newline)

;; lambda forms
(display ((lambda (a b) (- a b)) 10 3)) (newline)
(write ((lambda args args) 1 2 3)) (newline)
(write ((lambda args args))) (newline)
(write ((lambda (a . b) b) 1)) (newline)
(write ((lambda (a . b) (cons a b)) 1 2 3)) (newline)
(display ((lambda () 42))) (newline)
(define sub (lambda (a b) (- a b)))
(display (sub 5 8)) (newline)

;; internal defines
(define (h n)
  (define twice (* n 2))
  (define (plus-twice m) (+ m twice))
  (plus-twice 1))
(display (h 5)) (newline)
(define (outer n)
  (define (even-ish? k) (if (= k 0) #t (odd-ish? (- k 1))))
  (define (odd-ish? k) (if (= k 0) #f (even-ish? (- k 1))))
  (list (even-ish? n) (odd-ish? n)))
(write (outer 10)) (newline)
(write (outer 7)) (newline)
(define (body-with-lambda-define x)
  (define inc (lambda (v) (+ v 1)))
  (inc (inc x)))
(display (body-with-lambda-define 40)) (newline)

;; begin
(display (begin 1 2 3)) (newline)
(define counter 0)
(begin (set! counter (+ counter 1)) (set! counter (+ counter 1)))
(display counter) (newline)
(display (begin (set! counter 100) counter)) (newline)

;; set! on locals and globals
(define y 1)
(set! y (+ y 41))
(display y) (newline)
(define (set-local a)
  (set! a (* a 3))
  a)
(display (set-local 5)) (newline)
(let ((z 1))
  (set! z 'changed)
  (write z) (newline))

;; redefinition
(define x 'redefined)
(write x) (newline)

;; quote
(write (quote a)) (newline)
(write 'a) (newline)
(write '(1 2 3)) (newline)
(write '()) (newline)
(write '(a (b c) d)) (newline)
(write '(1 . 2)) (newline)
(write (quote (quote x))) (newline)
(write '"str") (newline)
(write '#\c) (newline)
(write '42) (newline)
(write '#t) (newline)

;; procedures as values
(define (compose f g) (lambda (v) (f (g v))))
(display ((compose square (lambda (v) (+ v 1))) 4)) (newline)
(define (apply-twice f v) (f (f v)))
(display (apply-twice square 3)) (newline)
(display (procedure? square)) (newline)
(display (procedure? car)) (newline)
(display (procedure? (lambda () 1))) (newline)
(display (procedure? 'square)) (newline)
(display (procedure? '(lambda () 1))) (newline)
