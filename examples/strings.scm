;; Strings: a palindrome test that ignores case and spaces.
(define (clean s)
  (list->string (filter char-alphabetic? (string->list (string-downcase s)))))
(define (palindrome? s)
  (let ((c (clean s)))
    (string=? c (list->string (reverse (string->list c))))))

(display (map palindrome? '("A man a plan a canal Panama" "Mote")))
(newline)
