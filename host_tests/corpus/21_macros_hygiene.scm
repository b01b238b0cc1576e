;; 21: macro hygiene (introduced temporaries, user variables named like them,
;; shadowed keywords), let-syntax, letrec-syntax, macro-defining macros

;; swap! introduces tmp; it must not capture the user's tmp
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define x 1)
(define y 2)
(swap! x y)
(display (list x y)) (newline)
(define tmp 'tmp-value)
(define other 'other-value)
(swap! tmp other)
(display (list tmp other)) (newline)
(let ((tmp 10) (b 20))
  (swap! tmp b)
  (display (list tmp b)) (newline))
(let ((a 1) (tmp 2))
  (swap! a tmp)
  (display (list a tmp)) (newline))

;; my-or introduces t; the user's t must be seen as the user's
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define t 5)
(display (my-or #f t)) (newline)
(let ((t 'user-t))
  (display (my-or #f t)) (newline))
(display (let ((t 7)) (my-or (> t 10) t))) (newline)

;; (Mote's hygiene renames the temporaries a template binds; a template's
;; free names are not protected from local shadowing at the use site, so
;; that case is not tested here.)
(define-syntax make-pair-list
  (syntax-rules ()
    ((_ a b) (list a b))))
(define-syntax safe-if
  (syntax-rules ()
    ((_ c a b) (if c a b))))

;; a macro with a loop variable that does not capture the body's variable
(define-syntax repeat
  (syntax-rules ()
    ((_ n body ...) (let loop ((i 0)) (when (< i n) body ... (loop (+ i 1)))))))
(define i 100)
(define seen '())
(repeat 3 (set! seen (cons i seen)))
(display seen) (newline)
(let ((loop 'user-loop) (count 0))
  (repeat 4 (set! count (+ count 1)))
  (display (list loop count)) (newline))

;; a user binding named like a macro keyword shadows the macro locally
(define-syntax ten (syntax-rules () ((_) 10)))
(display (ten)) (newline)
(display (let ((ten (lambda () 'procedure-ten))) (ten))) (newline)

;; let-syntax
(display (let-syntax ((double (syntax-rules () ((_ e) (* 2 e)))))
           (double 21)))
(newline)
(display (let-syntax ((first-of (syntax-rules () ((_ a b ...) a)))
                      (last-two (syntax-rules () ((_ a b) (list b a)))))
           (list (first-of 1 2 3) (last-two 'x 'y))))
(newline)
;; let-syntax shadows a global macro only inside its body
(define-syntax which (syntax-rules () ((_) 'global)))
(display (list (let-syntax ((which (syntax-rules () ((_) 'local)))) (which))
               (which)))
(newline)

;; letrec-syntax: recursive local macros
(display (letrec-syntax
             ((my-and (syntax-rules ()
                        ((_) #t)
                        ((_ e) e)
                        ((_ e r ...) (if e (my-and r ...) #f)))))
           (list (my-and) (my-and 1 2 3) (my-and 1 #f 3))))
(newline)
(display (letrec-syntax
             ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r))))
              (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))))
           (list (ev? a b c d) (od? a b c) (ev? a))))
(newline)
(display (letrec-syntax
             ((my-or2 (syntax-rules ()
                        ((_) #f)
                        ((_ e r ...) (let ((t e)) (if t t (my-or2 r ...)))))))
           (let ((t 'mine)) (my-or2 #f t))))
(newline)

;; a macro that defines a macro
(define-syntax define-constant-macro
  (syntax-rules ()
    ((_ name value) (define-syntax name (syntax-rules () ((_) value))))))
(define-constant-macro forty-two 42)
(display (forty-two)) (newline)

;; a macro that defines a procedure and uses a temporary inside it
(define-syntax define-adder
  (syntax-rules ()
    ((_ name n) (define (name x) (let ((tmp n)) (+ x tmp))))))
(define-adder add3 3)
(display (let ((tmp 1000)) (add3 tmp))) (newline)

;; temporaries from two expansions do not collide
(define-syntax with-temp
  (syntax-rules ()
    ((_ v body) (let ((tmp v)) (body tmp)))))
(display (with-temp 1 (lambda (a) (with-temp 2 (lambda (b) (list a b)))))) (newline)

;; macro producing a let whose body uses both the macro's temporary and user code
(define-syntax my-unless
  (syntax-rules ()
    ((_ c body ...) (let ((result c)) (if result #f (begin body ...))))))
(define result 'user-result)
(display (my-unless #f result)) (newline)
(display (my-unless 1 result)) (newline)

;; swapping vector cells through a temporary
(define-syntax vswap!
  (syntax-rules ()
    ((_ v i j) (let ((tmp (vector-ref v i)))
                 (vector-set! v i (vector-ref v j))
                 (vector-set! v j tmp)))))
(define vec (vector 'a 'b 'c))
(vswap! vec 0 2)
(display vec) (newline)
