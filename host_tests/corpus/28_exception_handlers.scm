;; 28: with-exception-handler, raise-continuable, handlers escaping through
;; continuations, nested handlers, guard in loops, dynamic-wind after thunks
;; running when guard catches an error
;; (Guile: R7RS error comes from (scheme base); the renamer only silences the
;; "overrides core binding" warning; Mote ignores use-modules)
(use-modules (srfi srfi-34)
             ((scheme base)
              :select (error error-object? error-object-message error-object-irritants
                       raise-continuable)
              :renamer (begin (default-duplicate-binding-handler '(replace last))
                              (lambda (name) name))))

;; raise-continuable: the handler's value is returned to the raise point
(display (with-exception-handler
          (lambda (e) 42)
          (lambda () (+ (raise-continuable 'oops) 1))))
(newline)
(display (with-exception-handler
          (lambda (e) (* e 10))
          (lambda () (list (raise-continuable 1) (raise-continuable 2)))))
(newline)
(display (with-exception-handler
          (lambda (e) (if (symbol? e) 0 e))
          (lambda () (+ 5 (raise-continuable 'missing)))))
(newline)
;; the thunk's value is returned when nothing is raised
(display (with-exception-handler (lambda (e) 'unused) (lambda () 'plain))) (newline)

;; a handler that uses a default for missing values, many times in a loop
(define (lookup key alist)
  (let ((hit (assq key alist)))
    (if hit (cdr hit) (raise-continuable (list 'missing key)))))
(display (with-exception-handler
          (lambda (e) 0)
          (lambda ()
            (let ((table '((a . 1) (b . 2) (c . 3))))
              (apply + (map (lambda (k) (lookup k table)) '(a x b y c z)))))))
(newline)

;; the handler sees the raised object
(define seen '())
(display (with-exception-handler
          (lambda (e) (set! seen (cons e seen)) (length seen))
          (lambda ()
            (raise-continuable 'first)
            (raise-continuable 'second)
            (raise-continuable 'third))))
(newline)
(display (reverse seen)) (newline)

;; a handler escaping with a continuation (for raise, which is not continuable)
(display (call/cc
          (lambda (k)
            (with-exception-handler
             (lambda (e) (k (list 'escaped e)))
             (lambda () (raise 'bad) 'not-reached)))))
(newline)
(display (call/cc
          (lambda (k)
            (with-exception-handler
             (lambda (e) (k (error-object-message e)))
             (lambda () (error "from error" 1 2))))))
(newline)
(define (try thunk default)
  (call/cc
   (lambda (k)
     (with-exception-handler (lambda (e) (k default)) thunk))))
(display (list (try (lambda () 10) 'failed) (try (lambda () (raise 'x)) 'failed))) (newline)
(display (try (lambda () (car '())) 'car-failed)) (newline)

;; nested handlers: inside a handler the outer handler is current
(define trail '())
(define (note x) (set! trail (cons x trail)))
(display (with-exception-handler
          (lambda (e) (note (list 'outer e)) 100)
          (lambda ()
            (with-exception-handler
             (lambda (e) (note (list 'inner e)) (+ 1 (raise-continuable (list 'again e))))
             (lambda () (* 2 (raise-continuable 'first)))))))
(newline)
(display (reverse trail)) (newline)
(display (with-exception-handler
          (lambda (e) 'outer)
          (lambda ()
            (list (with-exception-handler (lambda (e) 'inner) (lambda () (raise-continuable 1)))
                  (raise-continuable 2)))))
(newline)

;; a handler that returns from a non-continuable raise causes a secondary
;; exception in the handler's dynamic environment, so the outer guard sees it
(display (guard (e (#t 'caught))
           (with-exception-handler (lambda (e) 'returned) (lambda () (raise 'x)))))
(newline)

;; guard inside with-exception-handler: the guard catches first
(display (with-exception-handler
          (lambda (e) 'handler)
          (lambda () (guard (e (#t (list 'guard e))) (raise 'inner)))))
(newline)
;; guard without a matching clause hands a raise-continuable on to the handler
(display (with-exception-handler
          (lambda (e) (list 'handler e))
          (lambda () (guard (e ((string? e) 'string)) (raise-continuable 'sym)))))
(newline)

;; guard in a loop of 1000 iterations: nothing accumulates
(define (loop-guard n)
  (let loop ((i 0) (caught 0))
    (if (= i n)
        caught
        (loop (+ i 1)
              (+ caught (guard (e ((eq? e 'odd) 1))
                          (if (odd? i) (raise 'odd) 0)))))))
(display (loop-guard 300)) (newline)
(define (loop-errors n)
  (do ((i 0 (+ i 1))
       (sum 0 (+ sum (guard (e ((error-object? e) (car (error-object-irritants e))))
                       (error "value" i)))))
      ((= i n) sum)))
(display (loop-errors 300)) (newline)
(define (loop-builtin-errors n)
  (do ((i 0 (+ i 1))
       (count 0 (+ count (guard (e (#t 1)) (vector-ref (vector 1 2 3) i) 0))))
      ((= i n) count)))
(display (loop-builtin-errors 300)) (newline)
(define (loop-handlers n)
  (let loop ((i 0) (acc 0))
    (if (= i n)
        acc
        (loop (+ i 1)
              (+ acc (with-exception-handler (lambda (e) e)
                                             (lambda () (raise-continuable 1))))))))
(display (loop-handlers 300)) (newline)

;; dynamic-wind after thunks run when guard catches an error raised inside
(set! trail '())
(display (guard (e (#t (note 'handler) (error-object-message e)))
           (dynamic-wind (lambda () (note 'before))
                         (lambda () (error "inside" 1) (note 'not-here))
                         (lambda () (note 'after)))))
(newline)
(display (reverse trail)) (newline)
(set! trail '())
(guard (e (#t (note (list 'caught e))))
  (dynamic-wind
   (lambda () (note 'before-1))
   (lambda ()
     (dynamic-wind (lambda () (note 'before-2))
                   (lambda () (raise 'deep))
                   (lambda () (note 'after-2))))
   (lambda () (note 'after-1))))
(display (reverse trail)) (newline)
;; an error from a builtin inside dynamic-wind
(set! trail '())
(guard (e (#t (note 'caught)))
  (dynamic-wind (lambda () (note 'in)) (lambda () (car '())) (lambda () (note 'out))))
(display (reverse trail)) (newline)
;; with raise-continuable the handler runs inside the extent: no unwinding
(set! trail '())
(display (with-exception-handler
          (lambda (e) (note 'handler) 5)
          (lambda ()
            (dynamic-wind (lambda () (note 'in))
                          (lambda () (+ 1 (raise-continuable 'c)))
                          (lambda () (note 'out))))))
(newline)
(display (reverse trail)) (newline)
;; guard in a loop with dynamic-wind: before/after stay balanced
(define depth 0)
(define max-depth 0)
(let loop ((i 0))
  (when (< i 100)
    (guard (e (#t #f))
      (dynamic-wind (lambda () (set! depth (+ depth 1)) (set! max-depth (max depth max-depth)))
                    (lambda () (when (even? i) (raise i)))
                    (lambda () (set! depth (- depth 1)))))
    (loop (+ i 1))))
(display (list depth max-depth)) (newline)
