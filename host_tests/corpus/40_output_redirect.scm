;; 40: redirecting output: with-output-to-string (plain display, write,
;; newline and write-char go to the string), nesting, restoring the console
;; after a normal return and after an escape, call-with-output-string,
;; current-output-port, display/write/newline with an explicit port

(define s (with-output-to-string
           (lambda () (display "hello") (write-char #\space) (write "world") (newline))))
(write s) (newline)
(write (with-output-to-string (lambda () #t))) (newline)
(write (with-output-to-string (lambda () (display 1) (display 2) (display 3)))) (newline)
(define nested
  (with-output-to-string
   (lambda ()
     (display "outer[")
     (let ((inner (with-output-to-string (lambda () (display "inner")))))
       (display (string-length inner))
       (display inner))
     (display "]"))))
(write nested) (newline)
(display "console again") (newline)
(define (show-all . xs) (for-each (lambda (x) (write x) (display " ")) xs))
(write (with-output-to-string (lambda () (show-all 1 "a" #\b 'c '(d))))) (newline)
(define k-result
  (call-with-current-continuation
   (lambda (k)
     (with-output-to-string
      (lambda () (display "lost") (k 'escaped) (display "never"))))))
(write k-result) (newline)
(display "after escape") (newline)
(write (with-output-to-string (lambda () (write (current-output-port)
                                                 (open-output-string))
                                          (display "x" (current-output-port)))))
(newline)
(write (call-with-output-string (lambda (port) (display "to port" port)))) (newline)
(write (call-with-output-string
        (lambda (port) (write 'a port) (newline port) (write "b" port))))
(newline)
(write (call-with-output-string (lambda (port) #f))) (newline)
(define (emit-list lst port)
  (for-each (lambda (x) (display x port) (display "," port)) lst))
(write (call-with-output-string (lambda (p) (emit-list '(1 2 3) p)))) (newline)
(display "to current" (current-output-port)) (newline (current-output-port))
(write 'written (current-output-port)) (newline)
(define saved #f)
(define captured
  (with-output-to-string
   (lambda ()
     (set! saved (current-output-port))
     (display "in"))))
(write captured) (newline)
(display (output-port? (current-output-port))) (newline)
(define counter 0)
(define out
  (with-output-to-string
   (lambda ()
     (let loop ((i 0))
       (if (< i 5)
           (begin (display i) (set! counter (+ counter 1)) (loop (+ i 1))))))))
(write (list out counter)) (newline)
(define table
  (with-output-to-string
   (lambda ()
     (for-each (lambda (row) (display (car row)) (display "=") (display (cdr row)) (newline))
               '((a . 1) (b . 2))))))
(write table) (newline)
(define many
  (with-output-to-string
   (lambda ()
     (let loop ((i 0))
       (if (< i 1000) (begin (write-char #\x) (loop (+ i 1))))))))
(display (string-length many)) (newline)
