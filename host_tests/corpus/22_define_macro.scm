;; 22: define-macro (unhygienic Lisp-style macros with quasiquote templates):
;; while loops, unless2, rest arguments, computed expansions, macros in procedures

(define-macro (while c . body)
  `(let lp () (when ,c ,@body (lp))))
(define i 0)
(define sum 0)
(while (< i 10)
  (set! sum (+ sum i))
  (set! i (+ i 1)))
(display (list i sum)) (newline)

(define-macro (unless2 c . body)
  `(if ,c #f (begin ,@body)))
(display (unless2 #f 'ran)) (newline)
(display (unless2 #t 'ran)) (newline)
(define side 0)
(unless2 (= 1 1) (set! side 99))
(display side) (newline)

;; the expander is ordinary code: it can compute at expansion time
(define-macro (my-inc! var . by)
  (if (null? by)
      `(set! ,var (+ ,var 1))
      `(set! ,var (+ ,var ,(car by)))))
(define n 5)
(my-inc! n)
(my-inc! n 10)
(display n) (newline)

(define-macro (square-of x) (list '* x x))
(display (square-of 12)) (newline)

;; the expansion result can be a constant computed from the arguments
(define-macro (count-forms . forms) (length forms))
(display (count-forms a b c (d e))) (newline)

(define-macro (quote-reversed . items) `(quote ,(reverse items)))
(display (quote-reversed 1 2 3)) (newline)

;; nested quasiquote pieces: a cond built with unquote-splicing
(define-macro (my-case-eq key . clauses)
  `(let ((k ,key))
     (cond ,@(map (lambda (cl)
                    (if (eq? (car cl) 'else)
                        `(else ,@(cdr cl))
                        `((eq? k ',(car cl)) ,@(cdr cl))))
                  clauses))))
(display (my-case-eq 'b (a 1) (b 2) (else 3))) (newline)
(display (my-case-eq 'z (a 1) (b 2) (else 3))) (newline)

;; a define-macro that expands into a define
(define-macro (define-const name val) `(define ,name ,val))
(define-const answer 42)
(display answer) (newline)

;; macros used inside procedures
(define (count-down-list k)
  (let ((out '()))
    (while (> k 0)
      (set! out (cons k out))
      (set! k (- k 1)))
    out))
(display (count-down-list 5)) (newline)

(define (sum-while lst)
  (let ((s 0))
    (while (pair? lst)
      (my-inc! s (car lst))
      (set! lst (cdr lst)))
    s))
(display (sum-while '(1 2 3 4 5 6))) (newline)

;; a recursive define-macro
(define-macro (my-and . args)
  (cond ((null? args) #t)
        ((null? (cdr args)) (car args))
        (else `(if ,(car args) (my-and ,@(cdr args)) #f))))
(display (list (my-and) (my-and 1 2) (my-and 1 #f 3))) (newline)

;; a macro with fixed and rest parameters
(define-macro (with-list name first . rest)
  `(let ((,name (list ,first ,@rest))) (length ,name)))
(display (with-list xs 1 2 3 4)) (newline)

;; unhygienic on purpose: the macro binds `it' for the body (anaphoric if)
(define-macro (aif c then alt)
  `(let ((it ,c)) (if it ,then ,alt)))
(display (aif (assq 'b '((a . 1) (b . 2))) (cdr it) 'none)) (newline)
(display (aif (assq 'q '((a . 1))) (cdr it) 'none)) (newline)

;; a loop macro with a counter variable named by the user
(define-macro (dotimes spec . body)
  (let ((var (car spec)) (count (cadr spec)))
    `(let loop ((,var 0))
       (when (< ,var ,count) ,@body (loop (+ ,var 1))))))
(define squares '())
(dotimes (j 5) (set! squares (cons (* j j) squares)))
(display squares) (newline)
