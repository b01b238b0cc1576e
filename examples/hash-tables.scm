;; Count the words of a sentence with a hash table.
(define counts (make-equal-hash-table))
(for-each (lambda (w) (hash-table-update!/default counts w (lambda (n) (+ n 1)) 0))
          '(the cat and the hat and the bat))
(display (sort (hash-table->alist counts) (lambda (a b) (> (cdr a) (cdr b)))))
(newline)
