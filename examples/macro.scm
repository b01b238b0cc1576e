;; A macro: (while test body ...) as a loop, written with syntax-rules.
(define-syntax while
  (syntax-rules ()
    ((_ test body ...) (let loop () (when test body ... (loop))))))

(define n 1)
(while (< n 100) (set! n (* n 3)))
(display n) (newline)
