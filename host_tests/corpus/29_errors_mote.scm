;; mote-only: error messages
;; 29: the text of error-object-message for errors raised by builtins and
;; by the evaluator (Mote's wording; Guile's differs), user errors, and that
;; the program keeps working after caught errors

;; builtin errors: the whole text is the message
(display (guard (e (#t (error-object-message e))) (car '()))) (newline)
(display (guard (e (#t (error-object-message e))) (cdr 5))) (newline)
(display (guard (e (#t (error-object-message e))) (cadr '(1)))) (newline)
(display (guard (e (#t (error-object-message e))) (set-car! 5 1))) (newline)
(display (guard (e (#t (error-object-message e))) (vector-ref (vector 1 2) 5))) (newline)
(display (guard (e (#t (error-object-message e))) (vector-set! (vector) 0 1))) (newline)
(display (guard (e (#t (error-object-message e))) (vector-ref '(1) 0))) (newline)
(display (guard (e (#t (error-object-message e))) (vector-length "abc"))) (newline)
(display (guard (e (#t (error-object-message e))) foo)) (newline)
(display (guard (e (#t (error-object-message e))) (undefined-proc 1 2))) (newline)
(display (guard (e (#t (error-object-message e))) (set! undefined-var-q 1))) (newline)
(display (guard (e (#t (error-object-message e))) (+ 1 'a))) (newline)
(display (guard (e (#t (error-object-message e))) (- 10 "x"))) (newline)
(display (guard (e (#t (error-object-message e))) (* 2 #t))) (newline)
(display (guard (e (#t (error-object-message e))) (< 1 'b))) (newline)
(display (guard (e (#t (error-object-message e))) (even? 'a))) (newline)
(display (guard (e (#t (error-object-message e))) (quotient 1 0))) (newline)
(display (guard (e (#t (error-object-message e))) (modulo 5 0))) (newline)
(display (guard (e (#t (error-object-message e))) (string-ref "abc" 10))) (newline)
(display (guard (e (#t (error-object-message e))) (string-length 'a))) (newline)
(display (guard (e (#t (error-object-message e))) (string-append "a" 5))) (newline)
(display (guard (e (#t (error-object-message e))) (symbol->string 5))) (newline)
(display (guard (e (#t (error-object-message e))) (char->integer 5))) (newline)
(display (guard (e (#t (error-object-message e))) (length 5))) (newline)
(display (guard (e (#t (error-object-message e))) (length '(1 2 . 3)))) (newline)
(display (guard (e (#t (error-object-message e))) (reverse 5))) (newline)
(display (guard (e (#t (error-object-message e))) (list-ref '(1 2) 9))) (newline)
(display (guard (e (#t (error-object-message e))) (5 3))) (newline)
(display (guard (e (#t (error-object-message e))) ("str" 1))) (newline)
(display (guard (e (#t (error-object-message e))) (cons 1))) (newline)
(display (guard (e (#t (error-object-message e))) (car 1 2))) (newline)
(display (guard (e (#t (error-object-message e))) (make-vector -1))) (newline)
(display (guard (e (#t (error-object-message e))) (substring "abc" 2 1))) (newline)

;; builtin errors have no irritants and are error objects
(write (guard (e (#t (error-object-irritants e))) (car '()))) (newline)
(display (guard (e (#t (error-object? e))) (vector-ref (vector) 0))) (newline)

;; user errors: message and irritants are kept apart
(display (guard (e (#t (error-object-message e))) (error "bad thing" 1 2))) (newline)
(write (guard (e (#t (error-object-irritants e))) (error "bad thing" 1 2))) (newline)
(write (guard (e (#t (error-object-irritants e))) (error "no irritants"))) (newline)

;; definitions made before an error still work after it is caught
(define total 10)
(define (add-to-total n) (set! total (+ total n)) total)
(display (guard (e (#t (error-object-message e))) (add-to-total 5) (car total))) (newline)
(display total) (newline)
(display (add-to-total 1)) (newline)
(define (risky n) (if (> n 3) (vector-ref (vector) n) (* n n)))
(display (guard (e (#t (error-object-message e))) (risky 7))) (newline)
(display (risky 3)) (newline)
(display (map (lambda (n) (guard (e (#t 'err)) (risky n))) '(1 2 3 4 5))) (newline)
