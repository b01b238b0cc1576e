;; 49: sort (Guile order: sequence then less?) on lists and vectors, a
;; stable merge sort: equal keys keep their order; sort! and stable-sort,
;; merge, sorting strings, pairs and a few hundred pseudo-random numbers
(use-modules (srfi srfi-1))

(display (sort '(3 1 2) <)) (newline)
(display (sort '() <)) (newline)
(display (sort '(1) <)) (newline)
(display (sort '(5 4 3 2 1) <)) (newline)
(display (sort '(1 2 3 4 5) <)) (newline)
(display (sort '(1 2 3 4 5) >)) (newline)
(display (sort '(2 2 1 1 3 3) <)) (newline)
(display (sort '(9 -3 12 0 -3 7 12345678901234567890 5) <)) (newline)
(write (sort (list "pear" "apple" "fig" "banana") string<?)) (newline)
(write (sort (list #\z #\a #\m) char<?)) (newline)
(display (sort (vector 4 2 8 6) <)) (newline)
(display (sort (vector) <)) (newline)
(display (sort '#(b a) (lambda (x y) (string<? (symbol->string x) (symbol->string y))))) (newline)

;; the input is not changed
(define l (list 3 1 2))
(define v (vector 3 1 2))
(define sl (sort l <))
(define sv (sort v <))
(display (list l sl v sv)) (newline)

;; stability: records with equal keys keep their input order
(define people '((bob . 30) (amy . 25) (cat . 30) (dan . 25) (eve . 30) (fay . 20)))
(define (by-age a b) (< (cdr a) (cdr b)))
(display (map car (sort people by-age))) (newline)
(display (map car (vector->list (stable-sort (list->vector people) by-age)))) (newline)
(display (map car (sort people (lambda (a b) (> (cdr a) (cdr b)))))) (newline)
(display (map car (stable-sort people by-age))) (newline)
(define pairs (map (lambda (i) (cons (modulo i 3) i)) (iota 12)))
(display (map cdr (sort pairs (lambda (a b) (< (car a) (car b)))))) (newline)

;; sort! on a vector sorts it in place; on a list use the result
(define w (vector 5 3 9 1))
(sort! w <)
(display w) (newline)
(display (sort! (list 5 3 9 1) >)) (newline)

;; merge: both inputs sorted; on ties the first list's element comes first
(display (merge '(1 3 5 7) '(2 4 6) <)) (newline)
(display (merge '() '(1 2) <)) (newline)
(display (merge '(1 2) '() <)) (newline)
(display (merge '((1 . a) (2 . a)) '((1 . b) (3 . b)) (lambda (x y) (< (car x) (car y))))) (newline)

;; a few hundred pseudo-random numbers
(define (rand-list n seed)
  (let loop ((i 0) (x seed) (acc '()))
    (if (= i n)
        acc
        (let ((nx (modulo (+ (* x 1103) 12345) 4099)))
          (loop (+ i 1) nx (cons nx acc))))))
(define r (rand-list 200 7))
(define sr (sort r <))
(define (sorted? l less?)
  (or (null? l) (null? (cdr l))
      (and (not (less? (cadr l) (car l))) (sorted? (cdr l) less?))))
(display (sorted? sr <)) (newline)
(display (length sr)) (newline)
(display (list (car sr) (last sr))) (newline)
(display (= (apply + r) (apply + sr))) (newline)
(display (take (sort r >) 5)) (newline)
(define rv (list->vector r))
(sort! rv <)
(display (equal? (vector->list rv) sr)) (newline)
(display (equal? (sort (reverse sr) <) sr)) (newline)
(display (delete-duplicates (sort (map (lambda (x) (modulo x 5)) r) <))) (newline)
