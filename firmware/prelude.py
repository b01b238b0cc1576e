# Built-ins written in Mote itself: they call procedures, which the
# evaluator does without Python recursion, so they are tail-call safe and
# interruptible. Loaded once by Interp() at start-up.
NAMES = 'map for-each %map1 %cars %cdrs'

SOURCE = b"""
(define (%map1 f l)
  (let loop ((l l) (acc '()))
    (if (pair? l) (loop (cdr l) (cons (f (car l)) acc)) (reverse acc))))
(define (%cars ls) (%map1 car ls))
(define (%cdrs ls) (%map1 cdr ls))
(define (map f l . ls)
  (if (null? ls)
      (%map1 f l)
      (let loop ((ls (cons l ls)) (acc '()))
        (if (memq '() ls)
            (reverse acc)
            (loop (%cdrs ls) (cons (apply f (%cars ls)) acc))))))
(define (for-each f l . ls)
  (if (null? ls)
      (let loop ((l l))
        (if (pair? l) (begin (f (car l)) (loop (cdr l)))))
      (let loop ((ls (cons l ls)))
        (if (not (memq '() ls))
            (begin (apply f (%cars ls)) (loop (%cdrs ls)))))))
"""
