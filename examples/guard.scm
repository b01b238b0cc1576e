;; An error caught by guard: the program goes on.
(define (safe-div a b)
  (guard (e ((error-object? e)
             (display "caught: ") (display (error-object-message e)) (newline)
             #f))
    (if (= b 0) (error "division by zero:" a) (/ a b))))

(display (list (safe-div 10 2) (safe-div 1 0)))
(newline)
