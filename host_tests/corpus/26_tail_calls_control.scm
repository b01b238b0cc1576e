;; 26: proper tail calls through apply, cond =>, and, or, when, unless, case,
;; do result expressions, case-lambda and macro expansions: each loop makes
;; 40,000 tail calls with small counters (i from 0 to 40, j from 0 to 999)

(define (via-apply-leading i j)
  (cond ((= i 40) 'apply-leading-done)
        ((= j 999) (apply via-apply-leading (+ i 1) '(0)))
        (else (apply via-apply-leading i (list (+ j 1))))))
(display (via-apply-leading 0 0)) (newline)

;; the next (i . j) pair, or #f once 40 x 1000 steps are done
(define (next i j)
  (cond ((= i 40) #f)
        ((= j 999) (cons (+ i 1) 0))
        (else (cons i (+ j 1)))))
(define (via-cond-arrow i j)
  (cond ((next i j) => (lambda (p) (via-cond-arrow (car p) (cdr p))))
        (else (list 'cond-arrow i j))))
(display (via-cond-arrow 0 0)) (newline)

(define (via-and i j)
  (if (= i 40)
      'and-done
      (and #t 1 (if (= j 999) (via-and (+ i 1) 0) (via-and i (+ j 1))))))
(display (via-and 0 0)) (newline)

(define (via-or i j)
  (or (and (= i 40) 'or-done)
      #f
      (if (= j 999) (via-or (+ i 1) 0) (via-or i (+ j 1)))))
(display (via-or 0 0)) (newline)

(define (via-when i j)
  (if (= i 40)
      'when-done
      (when (< i 40) (if (= j 999) (via-when (+ i 1) 0) (via-when i (+ j 1))))))
(display (via-when 0 0)) (newline)

(define (via-unless i j)
  (if (= i 40)
      'unless-done
      (unless (= i 40) (if (= j 999) (via-unless (+ i 1) 0) (via-unless i (+ j 1))))))
(display (via-unless 0 0)) (newline)

(define (via-case i j)
  (case (if (= i 40) 'stop (remainder j 4))
    ((0 1 2) (via-case i (+ j 1)))
    ((3) (if (= j 999) (via-case (+ i 1) 0) (via-case i (+ j 1))))
    (else (list 'case i j))))
(display (via-case 0 0)) (newline)

;; the result expressions of do are in tail position
(define (via-do i j)
  (do () (#t (cond ((= i 40) 'do-done)
                    ((= j 999) (via-do (+ i 1) 0))
                    (else (via-do i (+ j 1)))))))
(display (via-do 0 0)) (newline)

;; a loop through a user macro expansion
(define-syntax my-if
  (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
(define (via-macro i j)
  (my-if (= i 40)
         'macro-done
         (my-if (= j 999) (via-macro (+ i 1) 0) (via-macro i (+ j 1)))))
(display (via-macro 0 0)) (newline)

;; a loop through a recursive macro (my-or expands into let and if)
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define (via-my-or i j)
  (my-or (and (= i 40) 'my-or-done)
         #f
         (if (= j 999) (via-my-or (+ i 1) 0) (via-my-or i (+ j 1)))))
(display (via-my-or 0 0)) (newline)

;; calls between case-lambda clauses
(define via-case-lambda
  (case-lambda
    ((i) (via-case-lambda i 0))
    ((i j) (cond ((= i 40) 'case-lambda-done)
                 ((= j 999) (via-case-lambda (+ i 1)))
                 (else (via-case-lambda i (+ j 1)))))))
(display (via-case-lambda 0)) (newline)
