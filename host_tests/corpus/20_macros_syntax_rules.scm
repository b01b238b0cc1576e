;; 20: syntax-rules macros: literals, ellipsis (nested, after sub-patterns),
;; recursive macros, macros expanding into define, macros in procedures and loops

;; simplest: a macro that rearranges its arguments
(define-syntax my-if
  (syntax-rules ()
    ((_ c a b) (cond (c a) (else b)))))
(display (my-if #t 'yes 'no)) (newline)
(display (my-if #f 'yes 'no)) (newline)

;; only the chosen branch is evaluated
(define hits 0)
(my-if (> 2 1) (set! hits (+ hits 1)) (set! hits (+ hits 100)))
(display hits) (newline)

;; literals
(define-syntax arrow
  (syntax-rules (=> <-)
    ((_ a => b) (list 'right a b))
    ((_ a <- b) (list 'left a b))
    ((_ a b) (list 'none a b))))
(display (arrow 1 => 2)) (newline)
(display (arrow 1 <- 2)) (newline)
(display (arrow 1 2)) (newline)

;; a literal keyword chooses between several rules
(define-syntax for
  (syntax-rules (in from to)
    ((_ x in lst body ...) (for-each (lambda (x) body ...) lst))
    ((_ x from a to b body ...)
     (let loop ((x a)) (when (<= x b) body ... (loop (+ x 1)))))))
(define acc '())
(for x in '(1 2 3) (set! acc (cons (* x 10) acc)))
(display acc) (newline)
(define total 0)
(for i from 1 to 10 (set! total (+ total i)))
(display total) (newline)

;; plain ellipsis
(define-syntax my-list
  (syntax-rules ()
    ((_ x ...) (list x ...))))
(display (my-list)) (newline)
(display (my-list 1 (+ 1 1) 3)) (newline)

;; ellipsis after fixed elements
(define-syntax first-and-rest
  (syntax-rules ()
    ((_ a b ...) (cons a (list 'rest b ...)))))
(display (first-and-rest 1)) (newline)
(display (first-and-rest 1 2 3)) (newline)

;; ellipsis after a nested pattern: ((name value) ...)
(define-syntax my-let
  (syntax-rules ()
    ((_ ((name val) ...) body1 body2 ...)
     ((lambda (name ...) body1 body2 ...) val ...))))
(display (my-let ((a 1) (b 2) (c 3)) (+ a b c))) (newline)
(display (my-let () 'empty)) (newline)
(display (my-let ((x 5)) (define y 6) (* x y))) (newline)

;; splitting pairs of a nested pattern into two separate sequences
(define-syntax keys-and-values
  (syntax-rules ()
    ((_ (k v) ...) (list '(k ...) (list v ...)))))
(display (keys-and-values (a 1) (b (+ 1 1)) (c 3))) (newline)

;; nested ellipsis
(define-syntax quote-groups
  (syntax-rules ()
    ((_ (x ...) ...) '((x ...) ...))))
(define-syntax sum-groups
  (syntax-rules ()
    ((_ (x ...) ...) (list (+ x ...) ...))))
(display (sum-groups (1 2 3) (4 5) () (6))) (newline)
(define-syntax my-cond
  (syntax-rules (else)
    ((_ (else e ...)) (begin e ...))
    ((_ (c e ...) clause ...) (if c (begin e ...) (my-cond clause ...)))))
(display (my-cond (#f 1) ((= 1 2) 2) (else 3))) (newline)
(display (my-cond ((= 1 1) 'a 'b) (else 'c))) (newline)

;; nested ellipsis: a table of rows
(define-syntax table
  (syntax-rules ()
    ((_ (row (col val) ...) ...)
     (list (list 'row (cons 'col val) ...) ...))))
(display (table (r1 (a 1) (b 2)) (r2) (r3 (c 3)))) (newline)

;; recursive macros
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define-syntax my-and
  (syntax-rules ()
    ((_) #t)
    ((_ e) e)
    ((_ e r ...) (if e (my-and r ...) #f))))
(display (my-or)) (newline)
(display (my-or #f #f 7 (car '()))) (newline)
(display (my-and)) (newline)
(display (my-and 1 2 3)) (newline)
(display (my-and 1 #f (car '()))) (newline)

(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
(display (my-let* ((a 1) (b (+ a 1)) (c (* b 10))) (list a b c))) (newline)

;; a macro that counts its arguments at expansion time
(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))
(display (count-args a b c d e)) (newline)

;; a recursive macro that reverses its arguments with an accumulator
(define-syntax rev-list
  (syntax-rules ()
    ((_ () (acc ...)) (list acc ...))
    ((_ (x rest ...) (acc ...)) (rev-list (rest ...) (x acc ...)))))
(display (rev-list (1 2 3 4) ())) (newline)

;; macros expanding into define at top level
(define-syntax define-getter
  (syntax-rules ()
    ((_ name value) (define (name) value))))
(define-getter get-five 5)
(define-getter get-list (list 1 2))
(display (+ (get-five) 1)) (newline)
(display (get-list)) (newline)

(define-syntax define-several
  (syntax-rules ()
    ((_ (name val) ...) (begin (define name val) ...))))
(define-several (p1 10) (p2 20) (p3 30))
(display (list p1 p2 p3)) (newline)

;; a macro expanding into a define inside a procedure body
(define (use-internal)
  (define-getter inner 'inner-value)
  (inner))
(display (use-internal)) (newline)

;; macros used inside procedures and loops
(define-syntax inc!
  (syntax-rules ()
    ((_ v) (set! v (+ v 1)))
    ((_ v n) (set! v (+ v n)))))
(define (count-evens lst)
  (let ((n 0))
    (for-each (lambda (x) (when (even? x) (inc! n))) lst)
    n))
(display (count-evens '(1 2 3 4 5 6 8))) (newline)
(define (sum-to n)
  (let ((s 0))
    (do ((i 1 (+ i 1))) ((> i n) s) (inc! s i))))
(display (sum-to 100)) (newline)

(define-syntax my-while
  (syntax-rules ()
    ((_ cond body ...) (let lp () (when cond body ... (lp))))))
(define (collatz-steps n)
  (let ((steps 0))
    (my-while (> n 1)
      (if (even? n) (set! n (quotient n 2)) (set! n (+ (* 3 n) 1)))
      (inc! steps))
    steps))
(display (collatz-steps 27)) (newline)

;; the same macro expanded in a loop body
(define-syntax my-list-cons
  (syntax-rules () ((_ a b) (cons a b))))
(define (squares n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (reverse acc) (loop (+ i 1) (my-list-cons (* i i) acc)))))
(display (squares 6)) (newline)

;; a macro whose expansion contains quoted data built from the pattern
(define-syntax quote-all
  (syntax-rules ()
    ((_ x ...) '((x . x) ...))))
(display (quote-all a b)) (newline)
(display (quote-groups (1 2) () (3 4 5))) (newline)
