;; syntax-rules as R7RS specifies it: hygiene both ways, (... ...), custom ellipsis, macro-defining macros, local macros, vectors.
(define (show . xs) (for-each write xs) (newline))
;; free names of a template mean what they meant where it was defined
(define-syntax my-list (syntax-rules () ((_ x ...) (list x ...))))
(show (let ((list vector)) (my-list 1 2)))
(define (helper x) (* x 10))
(define-syntax call-helper (syntax-rules () ((_ x) (helper x))))
(show (let ((helper (lambda (x) 'wrong))) (call-helper 4)))
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(show (let ((t 5) (if 7)) (list (my-or #f t) if)))
(define-syntax my-if (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
(show (let ((else #f)) (my-if #f 1 2)))
;; names a template binds do not capture the user's
(define-syntax swap!
  (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(show (let ((tmp 1) (y 2)) (swap! tmp y) (list tmp y)))
(define-syntax while
  (syntax-rules ()
    ((_ c body ...) (let lp () (when c body ... (lp))))))
(show (let ((i 0) (lp 'mine)) (while (< i 3) (set! i (+ i 1))) (list i lp)))
(define-syntax q (syntax-rules () ((_ x) '(x list))))
(show (let ((list 1)) (q 3)))
;; (... ...) and a macro that defines a macro
(define-syntax be-like-begin
  (syntax-rules ()
    ((be-like-begin name)
     (define-syntax name
       (syntax-rules ()
         ((name expr (... ...))
          (begin expr (... ...))))))))
(be-like-begin sequence)
(show (sequence 1 2 3 4))
(define-syntax def-getter
  (syntax-rules ()
    ((_ name val) (define-syntax name (syntax-rules () ((_) val))))))
(def-getter answer 42)
(show (answer))
;; a custom ellipsis
(define-syntax my-list2
  (syntax-rules ::: () ((_ (a b :::) :::) '((b ::: a) :::))))
(show (my-list2 (1 2 3) (4 5)))
;; literals
(define-syntax arrow (syntax-rules (=>) ((_ a => b) (list a b)) ((_ a b c) 'no)))
(show (arrow 1 => 2) (arrow 1 2 3))
;; vector patterns and templates, quasiquote in vectors
(define-syntax vsum (syntax-rules () ((_ #(a ...)) (+ a ...))))
(show (vsum #(1 2 3)))
(define-syntax vt (syntax-rules () ((_ a ...) #(a ... end))))
(show (vt 1 2))
(show (let ((x 2)) `#(1 ,x ,@(list 3 4) (5 ,x))))
(show `(1 `#(,(+ 1 ,(+ 1 1)))))
;; define-syntax in a body belongs to that body
(define-syntax ten (syntax-rules () ((_) 10)))
(define (f x) (define-syntax ten (syntax-rules () ((_) 20))) (+ x (ten)))
(show (f 1) (ten))
;; let-syntax and letrec-syntax
(show (let-syntax ((ten (syntax-rules () ((_) 30)))) (ten)) (ten))
(show (let-syntax ((foo (syntax-rules () ((_ x) '(foo x))))) (foo 1)))
(show (letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r))))
                      (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))))
        (list (ev? 1 2 3 4) (ev? 1 2 3))))
;; a local macro uses the variables in scope where it is defined
(define (k list) (define-syntax mk (syntax-rules () ((_ a) (list a a)))) (mk 1))
(show (k vector))
(define (counter)
  (let ((n 0))
    (let-syntax ((bump! (syntax-rules () ((_ d) (set! n (+ n d))))))
      (bump! 2) (bump! 3) n)))
(show (counter))
;; let-syntax: the free names mean what they meant where it defined the macro
(show (let ((x 'outer)) (let-syntax ((m (syntax-rules () ((_) x)))) (let ((x 'inner)) (m)))))
(show (let ((n 0))
        (let-syntax ((bump! (syntax-rules () ((_) (set! n (+ n 1))))))
          (let ((n 100)) (bump!) (bump!) (list n)))
        n))
(show ((let ((x 1)) (let-syntax ((m (syntax-rules () ((_) x)))) (let ((x 2)) (lambda () (list x (m))))))))
(show (let ((if list)) (let-syntax ((m (syntax-rules () ((_ a) (if a 1 2))))) (let ((if vector)) (m #f)))))
;; a free name of a template that names a global macro, bound locally where it is used
(define-syntax my-unless (syntax-rules () ((_ c e) (if c #f e))))
(define-syntax use-it (syntax-rules () ((_ x) (my-unless #f x))))
(show (let ((my-unless (lambda (a b) 'local))) (list (use-it 5) (my-unless 1 2))))
(define-syntax t3 (syntax-rules () ((_ x) (case-lambda ((a) (list x a)) ((a b) 'two)))))
(show (let ((case-lambda 0)) ((t3 1) 2)))
;; a body's macro: its free names mean what they mean in the body, even under an inner let
(define (f3) (define-syntax m (syntax-rules () ((_) x))) (define x 'body) (let ((x 'inner)) (m)))
(show (f3))
(define (g3) (define-syntax m (syntax-rules () ((_) (helper)))) (define (helper) 'h) (let ((helper 1)) (list helper (m))))
(show (g3))
(define (c3) (define n 0) (define-syntax bump! (syntax-rules () ((_) (set! n (+ n 1))))) (let ((n 100)) (bump!) (bump!)) n)
(show (c3))
