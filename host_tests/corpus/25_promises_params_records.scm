;; 25: delay / force / make-promise / delay-force (memoization, evaluation
;; counts), make-parameter / parameterize (converters), define-record-type, assert
;; (Guile: the renamer only silences the "overrides core binding" warnings;
;; Mote ignores use-modules)
(use-modules (srfi srfi-9)
             ((rnrs base) :select (assert))
             ((scheme lazy)
              :select (delay delay-force force make-promise promise?)
              :renamer (begin (default-duplicate-binding-handler '(replace last))
                               (lambda (name) name))))

;; delay is not evaluated until forced, and only once
(define count 0)
(define p (delay (begin (set! count (+ count 1)) (* 6 7))))
(display count) (newline)
(display (force p)) (newline)
(display (force p)) (newline)
(display count) (newline)
(display (list (promise? p) (promise? 5) (promise? (lambda () 1)))) (newline)

;; make-promise wraps a value in an already-forced promise
(define mp (make-promise 'ready))
(display (list (promise? mp) (force mp))) (newline)
(display (force (make-promise (list 1 2)))) (newline)

;; a promise that forces itself re-entrantly (R7RS example)
(define rcount 0)
(define rp
  (delay (begin (set! rcount (+ rcount 1))
                (if (> rcount rx) rcount (force rp)))))
(define rx 5)
(display (force rp)) (newline)
(set! rx 10)
(display (force rp)) (newline)

;; delay-force: the chain is forced iteratively and memoized
(define df-count 0)
(define (countdown n)
  (set! df-count (+ df-count 1))
  (if (= n 0) (delay 'bottom) (delay-force (countdown (- n 1)))))
(define cd (countdown 8000))
(display df-count) (newline)
(display (force cd)) (newline)
(display (force cd)) (newline)
(display df-count) (newline)
(define inner-count 0)
(define dfp (delay-force (begin (set! inner-count (+ inner-count 1)) (delay (* 3 4)))))
(let* ((v1 (force dfp)) (v2 (force dfp)))
  (display (list v1 v2 inner-count)) (newline))

;; lazy streams built with delay
(define (ints-from n) (cons n (delay (ints-from (+ n 1)))))
(define (stream-take s k) (if (= k 0) '() (cons (car s) (stream-take (force (cdr s)) (- k 1)))))
(display (stream-take (ints-from 5) 6)) (newline)
(define (stream-filter pred s)
  (if (pred (car s))
      (cons (car s) (delay (stream-filter pred (force (cdr s)))))
      (stream-filter pred (force (cdr s)))))
(display (stream-take (stream-filter (lambda (n) (= 0 (remainder n 7))) (ints-from 1)) 5)) (newline)

;; parameters
(define radix (make-parameter 10))
(display (radix)) (newline)
(display (parameterize ((radix 2)) (radix))) (newline)
(display (radix)) (newline)
(define (show-radix) (list 'radix (radix)))
(display (parameterize ((radix 16)) (show-radix))) (newline)
(display (parameterize ((radix 8)) (list (radix) (parameterize ((radix 3)) (radix)) (radix)))) (newline)

;; two parameters bound together
(define width (make-parameter 80))
(display (parameterize ((radix 2) (width 40)) (list (radix) (width)))) (newline)
(display (list (radix) (width))) (newline)

;; a converter is applied to the initial value and to parameterized values
(define doubled (make-parameter 10 (lambda (x) (* x 2))))
(display (doubled)) (newline)
(display (parameterize ((doubled 3)) (doubled))) (newline)
(display (doubled)) (newline)
(define clamp (make-parameter 5 (lambda (x) (if (> x 100) 100 x))))
(display (list (clamp) (parameterize ((clamp 500)) (clamp)) (parameterize ((clamp 50)) (clamp)))) (newline)

;; escaping out of parameterize restores the old value
(display (call/cc (lambda (k) (parameterize ((radix 7)) (k (radix)))))) (newline)
(display (radix)) (newline)

;; define-record-type
(define-record-type point
  (make-point x y)
  point?
  (x point-x set-point-x!)
  (y point-y set-point-y!))
(define pt (make-point 3 4))
(display (list (point-x pt) (point-y pt))) (newline)
(set-point-x! pt 10)
(set-point-y! pt (+ (point-y pt) 1))
(display (list (point-x pt) (point-y pt))) (newline)
(display (list (point? pt) (point? 5) (point? (vector 3 4)) (point? (list 3 4)))) (newline)

;; a constructor that sets only some fields
(define-record-type node
  (make-node val)
  node?
  (val node-val)
  (next node-next set-node-next!))
(define n1 (make-node 'a))
(define n2 (make-node 'b))
(set-node-next! n1 n2)
(set-node-next! n2 '())
(display (list (node-val (node-next n1)) (node-next n2))) (newline)
(display (list (node? n1) (point? n1) (node? pt))) (newline)

;; records in data structures and with higher-order procedures
(define pts (map make-point '(1 2 3) '(10 20 30)))
(display (map point-x pts)) (newline)
(display (apply + (map point-y pts))) (newline)
(for-each (lambda (p) (set-point-x! p (* (point-x p) (point-x p)))) pts)
(display (map point-x pts)) (newline)
(display (let ((q (make-point 1 2))) (list (eq? q q) (eq? q (make-point 1 2))))) (newline)

;; assert with a true condition does nothing
(assert (= (+ 1 1) 2))
(assert (point? pt))
(display 'after-assert) (newline)
