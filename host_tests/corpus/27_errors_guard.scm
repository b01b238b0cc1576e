;; 27: error / raise caught by guard: error-object? / -message / -irritants,
;; raising symbols, numbers, lists and strings, => and else clauses, re-raising
;; to an outer guard, errors from builtins (only a fixed value is printed)
;; (Guile: R7RS error comes from (scheme base); the renamer only silences the
;; "overrides core binding" warning; Mote ignores use-modules)
(use-modules (srfi srfi-34)
             ((scheme base)
              :select (error error-object? error-object-message error-object-irritants)
              :renamer (begin (default-duplicate-binding-handler '(replace last))
                              (lambda (name) name))))

;; error with a message and irritants
(display (guard (e (#t (error-object-message e))) (error "bad thing" 1 2))) (newline)
(write (guard (e (#t (error-object-message e))) (error "bad thing" 1 2))) (newline)
(write (guard (e (#t (error-object-irritants e))) (error "bad thing" 1 2))) (newline)
(write (guard (e (#t (error-object-irritants e))) (error "list irritants" '(a b) "str" #\c))) (newline)
(display (guard (e (#t (error-object? e))) (error "x" 1))) (newline)
(display (guard (e ((error-object? e) (list 'error (error-object-message e)))) (error "just a message"))) (newline)
(display (guard (e ((error-object? e) (length (error-object-irritants e)))) (error "count" 'a 'b 'c 'd))) (newline)

;; error raised from inside nested procedure calls
(define (check-positive n) (if (> n 0) n (error "not positive" n)))
(define (sum-positive lst) (apply + (map check-positive lst)))
(display (guard (e (#t (list 'failed (error-object-irritants e)))) (sum-positive '(1 2 3)))) (newline)
(display (guard (e (#t (list 'failed (error-object-irritants e)))) (sum-positive '(1 -2 3)))) (newline)

;; raising non-error objects
(display (guard (e ((symbol? e) (list 'symbol e))) (raise 'boom))) (newline)
(display (guard (e ((number? e) (* e 2))) (raise 21))) (newline)
(display (guard (e ((pair? e) (cdr e))) (raise (list 'tag 1 2)))) (newline)
(display (guard (e ((string? e) (string-append "got " e))) (raise "str"))) (newline)
(display (guard (e ((error-object? e) 'error-object) (else 'other)) (raise 'sym))) (newline)
(display (guard (e (#t (error-object? e))) (raise 42))) (newline)
(display (guard (e ((vector? e) (vector-ref e 1))) (raise (vector 'a 'b 'c)))) (newline)

;; the first matching clause wins
(define (classify thunk)
  (guard (e ((symbol? e) 'symbol)
            ((and (number? e) (< e 0)) 'negative)
            ((number? e) 'number)
            ((string? e) 'string)
            (else 'something-else))
    (thunk)))
(display (map classify (list (lambda () (raise 'x))
                             (lambda () (raise -5))
                             (lambda () (raise 5))
                             (lambda () (raise "s"))
                             (lambda () (raise '(1)))
                             (lambda () 'no-raise))))
(newline)

;; => clauses receive the value of the test
(display (guard (e ((assq 'code e) => cdr) (else 'no-code)) (raise (list (cons 'code 404) (cons 'msg "nf"))))) (newline)
(display (guard (e ((assq 'code e) => cdr) (else 'no-code)) (raise (list (cons 'msg "nf"))))) (newline)
(display (guard (e ((memv e '(1 2 3)) => length)) (raise 2))) (newline)
;; a clause with a test only returns the test's value
(display (guard (e ((assq 'b e))) (raise (list (cons 'a 1) (cons 'b 2))))) (newline)

;; guard with no raise returns the body's value
(display (guard (e (#t 'caught)) (+ 1 2))) (newline)
(display (guard (e (#t 'caught)) 'a 'b 'last)) (newline)

;; no clause matches: the object is raised again to the outer guard
(display (guard (outer (#t (list 'outer outer)))
           (guard (inner ((string? inner) (list 'inner inner)))
             (raise 'not-a-string))))
(newline)
(display (guard (outer (#t (list 'outer outer)))
           (guard (inner ((string? inner) (list 'inner inner)))
             (raise "a-string"))))
(newline)
(display (guard (e ((number? e) (list 'level1 e)))
           (guard (e ((string? e) (list 'level2 e)))
             (guard (e ((symbol? e) (list 'level3 e)))
               (raise 7)))))
(newline)
(display (guard (e ((error-object? e) (error-object-message e)))
           (guard (e ((symbol? e) 'wrong-clause))
             (error "passes through" 1))))
(newline)

;; a guard clause can raise a new object to an outer guard
(display (guard (e (#t (list 'outer-got e)))
           (guard (e (#t (raise (list 'wrapped e))))
             (raise 'original))))
(newline)

;; guard variables are local to the clause
(define e 'global-e)
(display (guard (e (#t e)) (raise 'local-e))) (newline)
(display e) (newline)

;; errors from builtins are caught too; only a fixed value is printed
(display (guard (e (#t 'caught)) (car '()))) (newline)
(display (guard (e (#t 'caught)) (vector-ref (vector 1 2) 5))) (newline)
(display (guard (e (#t 'caught)) (+ 1 'a))) (newline)
(display (guard (e (#t 'caught)) (undefined-procedure-xyz 1))) (newline)
(display (guard (e (#t 'caught)) ((lambda (x) x)))) (newline)
(display (guard (e (#t 'caught)) (string-ref "abc" 10))) (newline)
(display (guard (e (#t 'caught)) (symbol->string 5))) (newline)
(display (guard (e (#t 'caught)) (5 3))) (newline)
(display (guard (e ((error-object? e) 'error-object) (else 'other)) (cdr 5))) (newline)
(display (guard (e ((string? e) 'string) (else 'not-string)) (vector-ref '#(1) 1))) (newline)

;; a builtin error deep inside a computation
(define (safe-nth lst n) (guard (e (#t 'out-of-range)) (list-ref lst n)))
(display (list (safe-nth '(a b c) 1) (safe-nth '(a b c) 10))) (newline)

;; the program keeps going after errors; earlier definitions still work
(define counter 0)
(define (bump!) (set! counter (+ counter 1)) counter)
(bump!)
(guard (e (#t #f)) (bump!) (error "stop" counter) (bump!))
(display counter) (newline)
(display (bump!)) (newline)
