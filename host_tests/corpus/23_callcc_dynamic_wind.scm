;; 23: call/cc for escaping (early exits from loops, nested loops, deep
;; recursion), continuations called with values or never, dynamic-wind order

;; k never called: call/cc returns the procedure's value
(display (call/cc (lambda (k) 'normal))) (newline)
(display (call-with-current-continuation (lambda (k) (+ 1 2)))) (newline)
;; k called: the rest of the procedure body is skipped
(display (call/cc (lambda (k) (k 'escaped) 'not-reached))) (newline)
(display (+ 1 (call/cc (lambda (k) (* 10 (k 5)))))) (newline)
(display (list 'a (call/cc (lambda (k) (k 'b))) 'c)) (newline)

;; early exit from for-each
(define (find-first pred lst)
  (call/cc
   (lambda (return)
     (for-each (lambda (x) (when (pred x) (return x))) lst)
     #f)))
(display (find-first even? '(1 3 5 6 7 8))) (newline)
(display (find-first even? '(1 3 5))) (newline)

;; count how many elements were visited before the exit
(define visited 0)
(call/cc
 (lambda (stop)
   (for-each (lambda (x) (set! visited (+ visited 1)) (when (= x 4) (stop #t)))
             '(1 2 3 4 5 6 7))))
(display visited) (newline)

;; exit from nested loops
(define (find-pair-sum lst target)
  (call/cc
   (lambda (return)
     (for-each
      (lambda (a)
        (for-each (lambda (b) (when (= (+ a b) target) (return (list a b)))) lst))
      lst)
     'none)))
(display (find-pair-sum '(1 4 6 9) 15)) (newline)
(display (find-pair-sum '(1 4 6 9) 100)) (newline)

(define (grid-search rows cols pred)
  (call/cc
   (lambda (k)
     (do ((i 0 (+ i 1))) ((= i rows) #f)
       (do ((j 0 (+ j 1))) ((= j cols))
         (when (pred i j) (k (cons i j))))))))
(display (grid-search 10 10 (lambda (i j) (= (* i j) 42)))) (newline)
(display (grid-search 3 3 (lambda (i j) (> (+ i j) 10)))) (newline)

;; exit from deep recursion: product of a list stops at the first zero
(define multiplications 0)
(define (product lst)
  (call/cc
   (lambda (k)
     (let loop ((l lst))
       (cond ((null? l) 1)
             ((= (car l) 0) (k 0))
             (else (set! multiplications (+ multiplications 1))
                   (* (car l) (loop (cdr l)))))))))
(display (product '(1 2 3 4 5))) (newline)
(display (product '(1 2 0 4 5))) (newline)
(display multiplications) (newline)

(define (deep n k) (if (= n 0) (k 'bottom) (+ 1 (deep (- n 1) k))))
(display (call/cc (lambda (k) (deep 1000 k)))) (newline)
(display (call/cc (lambda (k) (deep 1000 (lambda (v) 1))))) (newline)

;; a stored continuation called later but still inside its extent
(define saved #f)
(define (walk lst)
  (cond ((null? lst) 'end)
        ((eq? (car lst) 'stop) (saved (list 'stopped-at (length lst))))
        (else (walk (cdr lst)))))
(display (call/cc (lambda (k) (set! saved k) (walk '(a b stop c d))))) (newline)
(display (call/cc (lambda (k) (set! saved k) (walk '(a b c))))) (newline)

;; an escape procedure passed down through several calls
(define (safe-div a b fail) (if (= b 0) (fail 'div-by-zero) (quotient a b)))
(define (compute lst fail) (map (lambda (x) (safe-div 100 x fail)) lst))
(display (call/cc (lambda (k) (compute '(1 2 5) k)))) (newline)
(display (call/cc (lambda (k) (compute '(1 0 5) k)))) (newline)

;; continuation called with several values
(display (call-with-values (lambda () (call/cc (lambda (k) (k 1 2 3)))) list)) (newline)

;; continuations are procedures
(display (call/cc procedure?)) (newline)

;; dynamic-wind: order with a normal return
(define trail '())
(define (note x) (set! trail (cons x trail)))
(define r (dynamic-wind (lambda () (note 'before))
                        (lambda () (note 'during) 'result)
                        (lambda () (note 'after))))
(display r) (newline)
(display (reverse trail)) (newline)

;; dynamic-wind: escape by call/cc runs the after thunk
(set! trail '())
(define r2
  (call/cc
   (lambda (k)
     (dynamic-wind (lambda () (note 'in))
                   (lambda () (note 'body) (k 'escaped) (note 'not-here))
                   (lambda () (note 'out))))))
(display (list r2 (reverse trail))) (newline)

;; nested dynamic-winds, normal return
(set! trail '())
(dynamic-wind
 (lambda () (note 'outer-before))
 (lambda ()
   (dynamic-wind (lambda () (note 'inner-before))
                 (lambda () (note 'inner-body))
                 (lambda () (note 'inner-after))))
 (lambda () (note 'outer-after)))
(display (reverse trail)) (newline)

;; nested dynamic-winds, escape from the innermost to outside both
(set! trail '())
(call/cc
 (lambda (k)
   (dynamic-wind
    (lambda () (note 'b1))
    (lambda ()
      (dynamic-wind (lambda () (note 'b2))
                    (lambda () (note 'body) (k 'x))
                    (lambda () (note 'a2))))
    (lambda () (note 'a1)))))
(display (reverse trail)) (newline)

;; dynamic-wind inside a loop with an escape on the third round
(set! trail '())
(call/cc
 (lambda (k)
   (for-each (lambda (i)
               (dynamic-wind (lambda () (note (list 'enter i)))
                             (lambda () (when (= i 3) (k 'done)))
                             (lambda () (note (list 'leave i)))))
             '(1 2 3 4))))
(display (reverse trail)) (newline)

;; the value of dynamic-wind is the value of the thunk
(display (dynamic-wind (lambda () 'ignored) (lambda () (* 6 7)) (lambda () 'ignored))) (newline)
