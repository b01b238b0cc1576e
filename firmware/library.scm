;; Mote's library: built-ins written in Mote itself. Nothing here is loaded
;; at start-up: the first use of a name in a ';;; name ...' header loads that
;; chunk (up to the next header), so RAM holds only what a program uses.
;; The names are built-in symbols: they cost no program symbol IDs.
;; Chunks call procedures through the evaluator, so they are tail-call safe
;; and never recurse in Python. Names starting with % are internal.
;; A macro is written (define-macro (name ...) at the start of a line: that
;; is how the interpreter knows, without loading it, to load its chunk when
;; the compiler meets the name.

;;; map for-each %cars %cdrs %any-null?
(define (%any-null? ls)
  (if (pair? ls) (if (null? (car ls)) #t (%any-null? (cdr ls))) #f))
(define (%cars ls)
  (let loop ((ls ls) (acc '()))
    (if (pair? ls) (loop (cdr ls) (cons (caar ls) acc)) (reverse acc))))
(define (%cdrs ls)
  (let loop ((ls ls) (acc '()))
    (if (pair? ls) (loop (cdr ls) (cons (cdar ls) acc)) (reverse acc))))
(define (map f l . ls)
  (if (null? ls)
      (let loop ((l l) (acc '()))
        (if (pair? l) (loop (cdr l) (cons (f (car l)) acc)) (reverse acc)))
      (let loop ((ls (cons l ls)) (acc '()))
        (if (%any-null? ls)
            (reverse acc)
            (loop (%cdrs ls) (cons (apply f (%cars ls)) acc))))))
(define (for-each f l . ls)
  (if (null? ls)
      (let loop ((l l))
        (if (pair? l) (begin (f (car l)) (loop (cdr l)))))
      (let loop ((ls (cons l ls)))
        (if (not (%any-null? ls))
            (begin (apply f (%cars ls)) (loop (%cdrs ls)))))))

;;; %throw
;; (k v ...) for a continuation k: leave the dynamic-wind extents entered
;; since k was made (running their after thunks), then return to k's mark.
(define (%throw k . vals)
  (%cont-check k)
  (let loop ()
    (let ((w (%winders)))
      (if (eq? w (%cont-winders k))
          (%escape k (if (and (pair? vals) (null? (cdr vals)))
                         (car vals)
                         (apply values vals)))
          (begin (%set-winders! (cdr w)) ((cdar w)) (loop))))))

;;; dynamic-wind
(define (dynamic-wind before thunk after)
  (before)
  (%set-winders! (cons (cons before after) (%winders)))
  (let ((r (thunk)))
    (%set-winders! (cdr (%winders)))
    (after)
    r))

;;; call-with-values
(define (call-with-values producer consumer)
  (%spread-values consumer (producer)))

;;; with-exception-handler raise raise-continuable
(define (with-exception-handler handler thunk)
  (let ((old (%handlers)))
    (%set-handlers! (cons handler old))
    (let ((r (thunk)))
      (%set-handlers! old)
      r)))
(define (raise obj)
  (let ((hs (%handlers)))
    (if (null? hs) (%uncaught obj))
    (%set-handlers! (cdr hs))
    ((car hs) obj)
    (error "exception handler returned from non-continuable raise:" obj)))
(define (raise-continuable obj)
  (let ((hs (%handlers)))
    (if (null? hs) (%uncaught obj))
    (%set-handlers! (cdr hs))
    (let ((r ((car hs) obj)))
      (%set-handlers! hs)
      r)))

;;; guard %guard-clauses
;; (guard (var clause ...) body ...): the handler escapes to guard's own
;; continuation first, then the clauses run there; with no clause taken
;; the object is raised again (raise-continuable) from that place.
(define (%guard-clauses clauses c)
  (if (assq 'else clauses)
      `(cond ,@clauses)
      `(cond ,@clauses (else (raise-continuable ,c)))))
(define-macro (guard spec . body)
  (let ((k (gensym "k")) (c (gensym "c")) (v (gensym "v")))
    `((call/cc
       (lambda (,k)
         (with-exception-handler
          (lambda (,c)
            (,k (lambda () (let ((,(car spec) ,c))
                             ,(%guard-clauses (cdr spec) c)))))
          (lambda () (let ((,v ((lambda () ,@body)))) (lambda () ,v)))))))))

;;; case-lambda
(define-macro (case-lambda . clauses)
  (let ((args (gensym "args")) (n (gensym "n"))
        (names (map (lambda (c) (gensym "clause")) clauses)))
    `(let ,(map (lambda (name c) `(,name (lambda ,@c))) names clauses)
       (lambda ,args
         (let ((,n (length ,args)))
           (cond
            ,@(map (lambda (name c)
                     (let loop ((f (car c)) (req 0))
                       (cond ((pair? f) (loop (cdr f) (+ req 1)))
                             ((null? f) `((= ,n ,req) (apply ,name ,args)))
                             (else `((>= ,n ,req) (apply ,name ,args))))))
                   names clauses)
            (else (error "case-lambda: no clause takes this many arguments:" ,n))))))))

;;; receive let-values let*-values define-values
(define-macro (receive formals expr . body)
  `(call-with-values (lambda () ,expr) (lambda ,formals ,@body)))
(define-macro (let-values bindings . body)
  ;; all the producers first (into fresh names), then the bindings: so
  ;; the bindings are parallel, as in let
  (let loop ((bs bindings) (pairs '()))
    (if (null? bindings)
        `(let () ,@body)
        (if (null? bs)
            `(let ,(reverse pairs) ,@body)
            (let rename ((f (caar bs)) (temps '()) (pairs pairs))
              (cond ((pair? f)
                     (let ((t (gensym "t")))
                       (rename (cdr f) (cons t temps) (cons (list (car f) t) pairs))))
                    (else
                     (let* ((t (if (symbol? f) (gensym "t") '()))
                            (formals (let build ((ts temps) (acc t))
                                       (if (null? ts) acc (build (cdr ts) (cons (car ts) acc)))))
                            (pairs (if (symbol? f) (cons (list f t) pairs) pairs)))
                       `(call-with-values (lambda () ,(cadar bs))
                          (lambda ,formals ,(loop (cdr bs) pairs)))))))))))
(define-macro (let*-values bindings . body)
  (if (null? bindings)
      `(let () ,@body)
      `(call-with-values (lambda () ,(cadar bindings))
         (lambda ,(caar bindings) (let*-values ,(cdr bindings) ,@body)))))
(define-macro (define-values formals expr)
  (let loop ((f formals) (names '()) (temps '()) (tail #f))
    (cond ((pair? f) (loop (cdr f) (cons (car f) names) (cons (gensym "t") temps) tail))
          ((symbol? f) (loop '() (cons f names) (cons (gensym "t") temps) #t))
          (else
           (let* ((names (reverse names)) (temps (reverse temps))
                  (formals2 (if tail
                                (let build ((ts temps))
                                  (if (null? (cdr ts)) (car ts) (cons (car ts) (build (cdr ts)))))
                                temps)))
             `(begin
                ,@(map (lambda (n) `(define ,n #f)) names)
                (call-with-values (lambda () ,expr)
                  (lambda ,formals2 ,@(map (lambda (n t) `(set! ,n ,t)) names temps)))))))))

;;; delay delay-force make-promise force
(define-macro (delay-force e) `(%make-promise #f (lambda () ,e)))
(define-macro (delay e) `(%make-promise #f (lambda () (make-promise ,e))))
(define (make-promise v) (if (promise? v) v (%make-promise #t v)))
(define (force p)
  (if (promise? p)
      (let loop ()
        (if (%promise-done? p)
            (%promise-value p)
            (let ((p2 ((%promise-value p))))
              (if (not (%promise-done? p))
                  (%promise-set! p (%promise-done? p2) (%promise-value p2)))
              (loop))))
      p))

;;; make-parameter parameterize %parameterize
(define (make-parameter v . conv)
  (if (pair? conv)
      (%make-param ((car conv) v) (car conv))
      (%make-param v #f)))
(define (%parameterize ps vs thunk)
  (let ((vals (map (lambda (p v) (let ((c (%param-converter p))) (if c (c v) v)))
                   ps vs)))
    (let ((swap (lambda ()
                  (set! vals (map (lambda (p v) (let ((old (p))) (%param-set! p v) old))
                                  ps vals)))))
      (dynamic-wind swap thunk swap))))
(define-macro (parameterize bindings . body)
  `(%parameterize (list ,@(map car bindings)) (list ,@(map cadr bindings))
                  (lambda () ,@body)))

;;; define-record-type
(define-macro (define-record-type type ctor pred . fields)
  (let* ((names (map (lambda (f) (if (pair? f) (car f) f)) fields))
         (index (lambda (f)
                  (let loop ((ns names) (i 0))
                    (if (eq? (car ns) f) i (loop (cdr ns) (+ i 1)))))))
    `(begin
       (define ,type (%make-record-type ',type ',names))
       ,@(cond ((pair? ctor)
                `((define (,(car ctor) ,@(cdr ctor))
                    (%record ,type ,@(map (lambda (f) (if (memq f (cdr ctor)) f #f))
                                          names)))))
               ((symbol? ctor)
                `((define (,ctor ,@names) (%record ,type ,@names))))
               (else '()))
       (define (,pred x) (%record? x ,type))
       ,@(apply append
                (map (lambda (f)
                       (if (and (pair? f) (pair? (cdr f)))
                           (cons `(define (,(cadr f) r)
                                    (%record-ref r ,type ,(index (car f)) ',(cadr f)))
                                 (if (pair? (cddr f))
                                     `((define (,(caddr f) r v)
                                         (%record-ref r ,type ,(index (car f)) v ',(caddr f))))
                                     '()))
                           '()))
                     fields)))))

;;; assert
(define-macro (assert e . msg)
  `(if (not ,e) (error "assertion failed:" ',e)))

;;; import use-modules
;; Mote has one namespace: module forms are accepted and do nothing.
(define-macro (import . specs) '(if #f #f))
(define-macro (use-modules . specs) '(if #f #f))

;;; defmacro
(define-macro (defmacro name params . body)
  `(define-macro (,name . ,params) ,@body))

;;; time %time
(define (%time thunk)
  (let* ((t0 (%ticks)) (v (thunk)))
    (display "Time: ") (display (%elapsed t0)) (display " ms") (newline)
    v))
(define-macro (time e) `(%time (lambda () ,e)))

;;; load
(define (load file)
  (let ((port (open-input-string (%read-file file))))
    (let loop ()
      (let ((x (read port)))
        (if (eof-object? x)
            (if #f #f)
            (begin (eval x) (loop)))))))

;;; eval %copy-tree
(define (%copy-tree x)
  (if (pair? x)
      (let loop ((x x) (acc '()))
        (if (pair? x)
            (loop (cdr x) (cons (%copy-tree (car x)) acc))
            (let rev ((acc acc) (r x))
              (if (null? acc) r (rev (cdr acc) (cons (car acc) r))))))
      x))
(define (eval x . env) (%eval (%copy-tree x)))

;;; %expand
;; The compiler calls this for each macro use: a fresh copy, because the
;; compiler rewrites code in place.
(define (%expand m form)
  (let ((t (%macro-transformer m)))
    (cond ((symbol? t) (%expand (%global t) form))   ; %%name, a macro's alias
          ((procedure? t) (%copy-tree (apply t (cdr form))))
          (else (%copy-tree (%sr-expand t form))))))
;; A macro of let-syntax or of a body's define-syntax is (%local height
;; syntax-rules ...): the scope height where it was defined (its free
;; names mean what they meant there), for a body's a cell holding it
;; (#f until the compiler is past the body's definitions: until then they
;; mean what they mean where it is used).

;;; define-syntax let-syntax letrec-syntax %syntax-spec %rename %body-height
;; Macros are defined when the definition is compiled, so the forms after
;; it (even in the same body) can use them. local: #f for a global macro,
;; let-syntax's scope height, or for a body's define-syntax a cell that
;; %body-height fills with the height where the body's definitions end:
;; the compiler meets (if #f (%body-height name)) only after the body's
;; scan, with just those in scope.
(define (%syntax-spec spec local)
  (if (and (pair? spec) (eq? (car spec) 'syntax-rules))
      (if local (cons '%local (cons local spec)) spec)
      (let ((t (eval spec)))
        (if (procedure? t) t (error "define-syntax: not syntax-rules or a procedure:" spec)))))
(define-macro (define-syntax name spec)
  ;; in a body: for the rest of the top-level form only
  (let ((local (%scope)))
    (%define-macro name (%syntax-spec spec (and local (list #f))) local)
    (if local `(if #f (%body-height ,name)) '(if #f #f))))
(define-macro (%body-height name)
  (let ((t (%macro-transformer (%global name))))
    (if (pair? t) (set-car! (cadr t) (%scope)))
    #f))
(define (%rename x renames)
  (cond ((symbol? x) (let ((r (assq x renames))) (if r (cdr r) x)))
        ((and (pair? x) (not (eq? (car x) 'quote)))
         (cons (%rename (car x) renames) (%rename (cdr x) renames)))
        (else x)))
(define-macro (let-syntax bindings . body)
  (let ((renames (map (lambda (b) (cons (car b) (gensym (symbol->string (car b)))))
                      bindings)))
    (for-each (lambda (b)
                (%define-macro (cdr (assq (car b) renames))
                               (%syntax-spec (%rename (cadr b) renames) (or (%scope) 0))
                               #t))
              bindings)
    `(let () ,@(%rename body renames))))
(define-macro (letrec-syntax . rest) `(let-syntax ,@rest))

;;; %sr-expand %sr-match %sr-len %sr-vars %sr-bind-seq %sr-subst %sr-iterate %sr-seq-vars %sr-renames %sr-binders %sr-tag
;; syntax-rules: match the form against each pattern in turn, then fill in
;; the template. A variable under an ellipsis is bound to (%sr-tag . items).
;; Hygiene: symbols the template binds (let, let*, letrec, lambda, do,
;; named let) that are not pattern variables get fresh names; a free
;; symbol that a local variable shadows where the macro is used refers to
;; the global (%scope, %global); quoted symbols stay as they are.
(define %sr-tag (list 'ellipsis))
(define (%sr-expand spec form)
  (let* ((local (and (eq? (car spec) '%local) (list (cons '%local (cadr spec)))))
         (spec (if local (cddr spec) spec))
         (custom (symbol? (cadr spec)))
         (ell (if custom (cadr spec) '...))
         (lits (if custom (caddr spec) (cadr spec))))
    (let loop ((rules (if custom (cdddr spec) (cddr spec))))
      (if (null? rules)
          (error "syntax-rules: no pattern matches:" form)
          (let ((b (%sr-match (cdar (car rules)) (cdr form) lits ell '())))
            (if b
                (let ((t (cadr (car rules))))
                  (%sr-subst t b ell (%sr-renames t b (or local '()))))
                (loop (cdr rules))))))))
(define (%sr-len x)
  (let loop ((x x) (n 0)) (if (pair? x) (loop (cdr x) (+ n 1)) n)))
(define (%sr-match p f lits ell b)
  (cond ((symbol? p)
         (cond ((memq p lits) (and (eq? p f) b))
               ((eq? p '_) b)
               (else (cons (cons p f) b))))
        ((and (pair? p) (pair? (cdr p)) (eq? (cadr p) ell))
         (let ((n (- (%sr-len f) (%sr-len (cddr p)))))
           (and (>= n 0)
                (let loop ((f f) (i 0) (ms '()))
                  (if (< i n)
                      (let ((m (%sr-match (car p) (car f) lits ell '())))
                        (and m (loop (cdr f) (+ i 1) (cons m ms))))
                      (let ((b2 (%sr-match (cddr p) f lits ell b)))
                        (and b2 (%sr-bind-seq (car p) (reverse ms) lits ell b2))))))))
        ((pair? p)
         (and (pair? f)
              (let ((b2 (%sr-match (car p) (car f) lits ell b)))
                (and b2 (%sr-match (cdr p) (cdr f) lits ell b2)))))
        ((null? p) (and (null? f) b))
        ((vector? p)
         (and (vector? f) (%sr-match (vector->list p) (vector->list f) lits ell b)))
        (else (and (equal? p f) b))))
(define (%sr-vars p lits ell acc)
  (cond ((symbol? p)
         (if (or (memq p lits) (eq? p ell) (eq? p '_)) acc (cons p acc)))
        ((pair? p) (%sr-vars (car p) lits ell (%sr-vars (cdr p) lits ell acc)))
        ((vector? p) (%sr-vars (vector->list p) lits ell acc))
        (else acc)))
(define (%sr-bind-seq sub ms lits ell b)
  (let loop ((vs (%sr-vars sub lits ell '())) (b b))
    (if (null? vs)
        b
        (loop (cdr vs)
              (cons (cons (car vs)
                          (cons %sr-tag (map (lambda (m) (cdr (assq (car vs) m))) ms)))
                    b)))))
(define (%sr-subst t b ell rn)
  (cond ((symbol? t)
         (let ((x (assq t b)))
           (cond (x (cdr x))
                 ((not rn) t)           ; quoted: as it is
                 ((assq t rn) => cdr)
                 ;; a free name a local variable binds again where the
                 ;; macro is used: what it meant where it was defined
                 ((let* ((l (assq '%local rn))
                         (top (if l (if (pair? (cdr l)) (cadr l) (cdr l)) 0)))
                    (and top (%scope t top)))
                  => (lambda (r) (if (eq? r #t) (list '%global (list 'quote t)) r)))
                 (else t))))
        ((pair? t)
         (cond ((and (eq? (car t) ell) (pair? (cdr t)))
                (%sr-subst (cadr t) b #f rn))
               ((and (eq? (car t) 'quote) rn)
                (cons 'quote (%sr-subst (cdr t) b ell #f)))
               ((and (pair? (cdr t)) (eq? (cadr t) ell))
                (let loop ((items (%sr-iterate (car t) b ell rn)) (rest (cddr t)))
                  (if (and (pair? rest) (eq? (car rest) ell))
                      (loop (apply append items) (cdr rest))
                      (append items (%sr-subst rest b ell rn)))))
               (else (cons (%sr-subst (car t) b ell rn)
                           (%sr-subst (cdr t) b ell rn)))))
        ((vector? t) (list->vector (%sr-subst (vector->list t) b ell rn)))
        (else t)))
(define (%sr-seq-vars t b acc)
  (cond ((symbol? t)
         (let ((x (assq t b)))
           (if (and x (pair? (cdr x)) (eq? (cadr x) %sr-tag) (not (memq x acc)))
               (cons x acc)
               acc)))
        ((pair? t) (%sr-seq-vars (car t) b (%sr-seq-vars (cdr t) b acc)))
        ((vector? t) (%sr-seq-vars (vector->list t) b acc))
        (else acc)))
(define (%sr-iterate sub b ell rn)
  (let ((vars (%sr-seq-vars sub b '())))
    (if (null? vars)
        (error "syntax-rules: no pattern variable before ... in template:" sub))
    (let loop ((seqs (map cddr vars)) (acc '()))
      (if (%any-null? seqs)
          (reverse acc)
          (loop (map cdr seqs)
                (cons (%sr-subst sub
                                 (let ext ((vs vars) (ss seqs))
                                   (if (null? vs)
                                       b
                                       (cons (cons (caar vs) (caar ss)) (ext (cdr vs) (cdr ss)))))
                                 ell rn)
                      acc))))))
(define (%sr-renames t b acc)
  (cond ((pair? t)
         (%sr-renames (cdr t) b
                      (%sr-renames (car t) b
                                   (if (memq (car t) '(let let* letrec letrec* lambda do))
                                       (%sr-binders t b acc)
                                       acc))))
        ((vector? t) (%sr-renames (vector->list t) b acc))
        (else acc)))
(define (%sr-binders form b acc)
  (let ((add (lambda (s acc)
               (if (and (symbol? s) (not (assq s b)) (not (assq s acc)) (not (eq? s '...)))
                   (cons (cons s (gensym (symbol->string s))) acc)
                   acc))))
    (cond ((not (pair? (cdr form))) acc)
          ((eq? (car form) 'lambda)
           (let loop ((f (cadr form)) (acc acc))
             (cond ((pair? f) (loop (cdr f) (add (car f) acc)))
                   (else (add f acc)))))
          (else
           (let* ((named (and (eq? (car form) 'let) (symbol? (cadr form))))
                  (acc (if named (add (cadr form) acc) acc)))
             (let loop ((bs (if named (if (pair? (cddr form)) (caddr form) '()) (cadr form)))
                        (acc acc))
               (if (pair? bs)
                   (loop (cdr bs) (if (pair? (car bs)) (add (caar bs) acc) acc))
                   acc)))))))

;;; boolean=? make-list
(define (boolean=? a b . more)
  (let loop ((a a) (b b) (more more))
    (cond ((not (boolean? a)) (error "boolean=?: not a boolean:" a))
          ((not (boolean? b)) (error "boolean=?: not a boolean:" b))
          ((not (eq? a b)) (for-each (lambda (x) (boolean=? x x)) more) #f)
          ((null? more) #t)
          (else (loop b (car more) (cdr more))))))
(define (make-list n . fill)
  (if (not (and (exact-integer? n) (>= n 0)))
      (error "make-list: not a count:" n))
  (if (> n 65535)                       ; more pairs than 16-bit refs reach
      (error "make-list: more than the arena holds:" n))
  (let ((x (if (pair? fill) (car fill) #f)))
    (let loop ((n n) (acc '()))
      (if (> n 0) (loop (- n 1) (cons x acc)) acc))))

;;; features environment
;; (environment spec ...) is the one environment there is, as
;; interaction-environment.
(define (features) '(r7rs ieee-float full-bignums mote))
(define (environment . specs) (interaction-environment))

;;; %exit-after-winders
;; exit: the dynamic-wind afters, innermost first (each with the winders
;; outside it in place), then emergency-exit.
(define (%exit-after-winders . code)
  (let loop ()
    (let ((w (%winders)))
      (if (pair? w)
          (begin (%set-winders! (cdr w)) ((cdar w)) (loop)))))
  (apply emergency-exit code))

;;; read-error? file-error? %message-starts?
;; Told apart by the message's start: the reader's errors begin "read: ",
;; file errors name the procedure and "cannot open" or "cannot delete".
(define (%message-starts? e . starts)
  (and (error-object? e)
       (let ((m (error-object-message e)))
         (let loop ((s starts))
           (and (pair? s)
                (or (and (>= (string-length m) (string-length (car s)))
                         (string=? (substring m 0 (string-length (car s))) (car s)))
                    (loop (cdr s))))))))
(define (read-error? e) (%message-starts? e "read: "))
(define (file-error? e)
  (%message-starts? e "load: cannot open " "delete-file: cannot delete "))

;; ---- strings, chars, ports (text.py) ----

;;; call-with-port textual-port? flush-output-port
;; Output is not buffered: there is nothing to flush.
(define (call-with-port port proc)
  (call-with-values (lambda () (proc port))
    (lambda vals (close-port port) (apply values vals))))
(define (textual-port? x) (and (port? x) (not (binary-port? x))))
(define (flush-output-port . port) (if #f #f))

;;; u8-ready? read-bytevector read-bytevector! write-bytevector %bytes-range
;; Byte by byte over read-u8 and write-u8 (ports.py checks the port).
(define (u8-ready? . port) (apply char-ready? port))
(define (read-bytevector k . port)
  (if (not (and (exact-integer? k) (>= k 0)))
      (error "read-bytevector: not a count:" k))
  (let* ((bv (make-bytevector k 0))
         (n (apply read-bytevector! bv port)))
    (cond ((eof-object? n) (if (= k 0) bv n))
          ((= n k) bv)
          (else (bytevector-copy bv 0 n)))))
(define (read-bytevector! bv . opt)
  (apply (lambda (port start end)
           (let loop ((i start))
             (let ((b (if (< i end) (read-u8 port) (eof-object))))
               (cond ((not (eof-object? b)) (bytevector-u8-set! bv i b) (loop (+ i 1)))
                     ((and (= i start) (< start end)) b)
                     (else (- i start))))))
         (%bytes-range "read-bytevector!" bv opt (current-input-port))))
(define (write-bytevector bv . opt)
  (apply (lambda (port start end)
           (do ((i start (+ i 1))) ((= i end)) (write-u8 (bytevector-u8-ref bv i) port)))
         (%bytes-range "write-bytevector" bv opt (current-output-port))))
(define (%bytes-range who bv opt port)
  ;; (port start end) from the optional arguments [port [start [end]]]
  (let* ((n (bytevector-length bv))
         (p (if (pair? opt) (car opt) port))
         (more (if (pair? opt) (cdr opt) '()))
         (s (if (pair? more) (car more) 0))
         (e (if (and (pair? more) (pair? (cdr more))) (cadr more) n)))
    (if (not (and (exact-integer? s) (exact-integer? e) (<= 0 s e n)))
        (error (string-append who ": bad range:") s e))
    (list p s e)))

;;; string-for-each string-map
;; string-for-each of one string: by index, nothing allocated per char;
;; string-map as lists (a char may take more UTF-8 bytes than the one it
;; replaces), up to the shortest string.
(define (string-for-each f s . ss)
  (if (null? ss)
      (let ((n (string-length s)))
        (let loop ((i 0))
          (if (< i n) (begin (f (string-ref s i)) (loop (+ i 1))))))
      (apply for-each f (string->list s) (map string->list ss))))
(define (string-map f s . ss)
  (list->string
   (apply map (lambda cs
                (let ((c (apply f cs)))
                  (if (char? c) c (error "string-map: not a char:" c))))
          (string->list s) (map string->list ss))))

;;; %string-scan %string-count %string-trim
;; The predicate forms of string-index, string-rindex, string-count and
;; the string-trim family: the builtins check the bounds and call these.
(define (%string-scan s pred i end step)
  (let loop ((i i))
    (cond ((= i end) #f)
          ((pred (string-ref s i)) i)
          (else (loop (+ i step))))))
(define (%string-count s pred i end)
  (let loop ((i i) (c 0))
    (if (< i end) (loop (+ i 1) (if (pred (string-ref s i)) (+ c 1) c)) c)))
(define (%string-trim s pred start end left right)
  (let* ((keep (lambda (c) (not (pred c))))
         (i (if left (or (%string-scan s keep start end 1) end) start))
         (j (if right
                (let ((k (%string-scan s keep (- end 1) (- i 1) -1))) (if k (+ k 1) i))
                end)))
    (substring s i j)))

;;; with-output-to-string call-with-output-string
(define (with-output-to-string thunk)
  (let ((port (open-output-string)) (old #f))
    (dynamic-wind
     (lambda () (set! old (%current-output)) (%set-current-output! port))
     thunk
     (lambda () (%set-current-output! old)))
    (get-output-string port)))
(define (call-with-output-string proc)
  (let ((port (open-output-string)))
    (proc port)
    (get-output-string port)))

;; ---- lists, vectors, hash tables (data.py) ----
;; Loops accumulate and reverse! (no recursion over a list's length); a
;; list that ends in something other than () is reported by %arg-error.

;;; filter remove %filter
(define (%filter pred keep l who)
  (let loop ((x l) (acc '()))
    (cond ((pair? x)
           (loop (cdr x) (if (eq? (not (pred (car x))) keep) acc (cons (car x) acc))))
          ((null? x) (reverse! acc))
          (else (%arg-error who "not a proper list" l)))))
(define (filter pred l) (%filter pred #t l 'filter))
(define (remove pred l) (%filter pred #f l 'remove))

;;; partition
(define (partition pred l)
  (let loop ((x l) (in '()) (out '()))
    (cond ((pair? x)
           (if (pred (car x))
               (loop (cdr x) (cons (car x) in) out)
               (loop (cdr x) in (cons (car x) out))))
          ((null? x) (values (reverse! in) (reverse! out)))
          (else (%arg-error 'partition "not a proper list" l)))))

;;; fold reduce %fold1
;; SRFI-1: (fold kons knil list ...) calls (kons elem ... acc)
(define (%fold1 kons acc l who)
  (let loop ((x l) (acc acc))
    (cond ((pair? x) (loop (cdr x) (kons (car x) acc)))
          ((null? x) acc)
          (else (%arg-error who "not a proper list" l)))))
(define (fold kons knil l . ls)
  (if (null? ls)
      (%fold1 kons knil l 'fold)
      (let loop ((ls (cons l ls)) (acc knil))
        (if (%any-null? ls)
            acc
            (loop (%cdrs ls) (apply kons (append (%cars ls) (list acc))))))))
(define (reduce f ridentity l)
  (if (pair? l) (%fold1 f (car l) (cdr l) 'reduce) ridentity))

;;; fold-left
;; (fold-left f init list ...) calls (f acc elem ...)
(define (fold-left f init l . ls)
  (if (null? ls)
      (let loop ((x l) (acc init))
        (cond ((pair? x) (loop (cdr x) (f acc (car x))))
              ((null? x) acc)
              (else (%arg-error 'fold-left "not a proper list" l))))
      (let loop ((ls (cons l ls)) (acc init))
        (if (%any-null? ls)
            acc
            (loop (%cdrs ls) (apply f acc (%cars ls)))))))

;;; fold-right
;; (fold-right f init list ...) calls (f elem ... acc), from the right: the
;; elements are reversed first, so long lists cost no stack
(define (fold-right f init l . ls)
  (if (null? ls)
      (%fold1 f init (if (list? l) (reverse l) (%arg-error 'fold-right "not a proper list" l))
              'fold-right)
      (let loop ((ls (cons l ls)) (rows '()))
        (if (%any-null? ls)
            (let back ((rows rows) (acc init))
              (if (pair? rows) (back (cdr rows) (apply f (append (car rows) (list acc)))) acc))
            (loop (%cdrs ls) (cons (%cars ls) rows))))))

;;; find find-tail list-index
(define (find-tail pred l)
  (let loop ((x l))
    (cond ((pair? x) (if (pred (car x)) x (loop (cdr x))))
          ((null? x) #f)
          (else (%arg-error 'find-tail "not a proper list" l)))))
(define (find pred l)
  (let ((x (find-tail pred l))) (if x (car x) #f)))
(define (list-index pred l . ls)
  (let loop ((ls (cons l ls)) (i 0))
    (cond ((%any-null? ls) #f)
          ((apply pred (%cars ls)) i)
          (else (loop (%cdrs ls) (+ i 1))))))

;;; any every
;; the last call of pred is a tail call, its value the result
(define (any pred l . ls)
  (if (null? ls)
      (let loop ((x l))
        (if (pair? x)
            (if (pair? (cdr x))
                (let ((r (pred (car x)))) (if r r (loop (cdr x))))
                (pred (car x)))
            #f))
      (let loop ((ls (cons l ls)))
        (if (%any-null? ls)
            #f
            (let ((r (apply pred (%cars ls)))) (if r r (loop (%cdrs ls))))))))
(define (every pred l . ls)
  (cond
   ((integer? pred) (every-ms pred l))   ; uLisp's (every ms thunk): a timer
   ((null? ls)
      (let loop ((x l))
        (if (pair? x)
            (if (pair? (cdr x))
                (if (pred (car x)) (loop (cdr x)) #f)
                (pred (car x)))
            #t)))
   (else
      (let loop ((ls (cons l ls)) (last #t))
        (if (%any-null? ls)
            last
            (let ((r (apply pred (%cars ls)))) (if r (loop (%cdrs ls) r) #f)))))))

;;; count
(define (count pred l . ls)
  (let loop ((ls (cons l ls)) (n 0))
    (if (%any-null? ls)
        n
        (loop (%cdrs ls) (if (apply pred (%cars ls)) (+ n 1) n)))))

;;; append-map filter-map
(define (append-map f l . ls)
  (let loop ((ls (cons l ls)) (acc '()))
    (if (%any-null? ls)
        (reverse! acc)
        (loop (%cdrs ls)
              (let push ((r (apply f (%cars ls))) (acc acc))
                (if (pair? r) (push (cdr r) (cons (car r) acc)) acc))))))
(define (filter-map f l . ls)
  (let loop ((ls (cons l ls)) (acc '()))
    (if (%any-null? ls)
        (reverse! acc)
        (loop (%cdrs ls) (let ((r (apply f (%cars ls)))) (if r (cons r acc) acc))))))

;;; take-while drop-while
(define (take-while pred l)
  (let loop ((x l) (acc '()))
    (if (and (pair? x) (pred (car x)))
        (loop (cdr x) (cons (car x) acc))
        (reverse! acc))))
(define (drop-while pred l)
  (let loop ((x l))
    (if (and (pair? x) (pred (car x))) (loop (cdr x)) x)))

;;; %member-by %assoc-by
;; member and assoc with a third argument: (= x elem) as SRFI-1 calls it
(define (%member-by x l =)
  (let loop ((l l))
    (cond ((not (pair? l)) #f)
          ((= x (car l)) l)
          (else (loop (cdr l))))))
(define (%assoc-by x l =)
  (let loop ((l l))
    (cond ((not (pair? l)) #f)
          ((= x (caar l)) (car l))
          (else (loop (cdr l))))))

;;; %delete-by %delete-dups-by
(define (%delete-by x l =)
  (%filter (lambda (y) (= x y)) #f l 'delete))
(define (%delete-dups-by l =)
  (let loop ((x l) (acc '()))
    (if (pair? x)
        (loop (cdr x)
              (let seen ((a acc))
                (cond ((null? a) (cons (car x) acc))
                      ((= (car a) (car x)) acc)
                      (else (seen (cdr a))))))
        (reverse! acc))))

;;; sort sort! stable-sort list-sort merge %sort! %merge! %fill-vector!
;; A stable merge sort: the list is cut into its ascending (and strictly
;; descending, reversed) runs, then neighbouring runs are merged pass by
;; pass (log n passes, no recursion).
;; Only fresh pairs are relinked: the caller's list is copied first.
(define (%merge! a b less?)
  (let ((head (cons #f '())))
    (let loop ((tail head) (a a) (b b))
      (cond ((null? a) (set-cdr! tail b))
            ((null? b) (set-cdr! tail a))
            ((less? (car b) (car a)) (set-cdr! tail b) (loop b a (cdr b)))
            (else (set-cdr! tail a) (loop a (cdr a) b))))
    (cdr head)))
(define (%sort! l less?)
  (let split ((l l) (runs '()))
    (if (pair? l)
        (if (and (pair? (cdr l)) (less? (cadr l) (car l)))
            ;; a strictly descending run, reversed (it has no equal elements)
            (let down ((end (cdr l)))
              (if (and (pair? (cdr end)) (less? (cadr end) (car end)))
                  (down (cdr end))
                  (let ((next (cdr end)))
                    (set-cdr! end '())
                    (split next (cons (reverse! l) runs)))))
            (let up ((end (if (pair? (cdr l)) (cdr l) l)))
              (if (and (pair? (cdr end)) (not (less? (cadr end) (car end))))
                  (up (cdr end))
                  (let ((next (cdr end)))
                    (set-cdr! end '())
                    (split next (cons l runs))))))
        (let pass ((runs (reverse! runs)))
          (cond ((null? runs) '())
                ((null? (cdr runs)) (car runs))
                (else
                 (pass (let merge ((rs runs) (acc '()))
                         (cond ((null? rs) (reverse! acc))
                               ((null? (cdr rs)) (reverse! (cons (car rs) acc)))
                               (else (merge (cddr rs)
                                            (cons (%merge! (car rs) (cadr rs) less?) acc))))))))))))
(define (%fill-vector! v l)
  ;; the elements of list l into vector v (list->vector would spread l on
  ;; the stack)
  (let loop ((l l) (i 0))
    (if (pair? l)
        (begin (vector-set! v i (car l)) (loop (cdr l) (+ i 1)))
        v)))
(define (sort seq less?)
  (cond ((vector? seq)
         (%fill-vector! (make-vector (vector-length seq)) (%sort! (vector->list seq) less?)))
        ((list? seq) (%sort! (list-copy seq) less?))
        (else (%arg-error 'sort "not a list or vector" seq))))
(define (stable-sort seq less?) (sort seq less?))
(define (sort! seq less?)
  (if (vector? seq)
      (%fill-vector! seq (%sort! (vector->list seq) less?))
      (sort seq less?)))
(define (list-sort less? l)
  (if (procedure? less?) (sort l less?) (sort less? l)))
(define (merge a b less?)
  (%merge! (list-copy a) (list-copy b) less?))

;;; vector-map vector-for-each %vector-args
(define (%vector-args who vs)
  (for-each (lambda (v) (if (not (vector? v)) (%arg-error who "not a vector" v))) vs)
  (apply min (map vector-length vs)))
(define (vector-map f v . vs)
  (let* ((vs (cons v vs))
         (n (%vector-args 'vector-map vs))
         (r (make-vector n)))
    (let loop ((i 0))
      (if (< i n)
          (begin
            (vector-set! r i (if (null? (cdr vs))
                                 (f (vector-ref v i))
                                 (apply f (map (lambda (v) (vector-ref v i)) vs))))
            (loop (+ i 1)))
          r))))
(define (vector-for-each f v . vs)
  (let* ((vs (cons v vs))
         (n (%vector-args 'vector-for-each vs)))
    (let loop ((i 0))
      (if (< i n)
          (begin
            (if (null? (cdr vs))
                (f (vector-ref v i))
                (apply f (map (lambda (v) (vector-ref v i)) vs)))
            (loop (+ i 1)))))))

;;; vector-count
(define (vector-count pred v . vs)
  (let loop ((i (- (apply min (map vector-length (cons v vs))) 1)) (n 0))
    (if (< i 0)
        n
        (loop (- i 1)
              (if (apply pred (map (lambda (v) (vector-ref v i)) (cons v vs))) (+ n 1) n)))))

;;; vector-binary-search
;; SRFI-133: (cmp elem value) is negative, zero or positive; the index of
;; a match, or #f
(define (vector-binary-search v value cmp)
  (let loop ((lo 0) (hi (vector-length v)))
    (if (< lo hi)
        (let* ((mid (quotient (+ lo hi) 2))
               (c (cmp (vector-ref v mid) value)))
          (cond ((zero? c) mid)
                ((negative? c) (loop (+ mid 1) hi))
                (else (loop lo mid))))
        #f)))

;;; hash-table-walk hash-table-fold %table-fold
;; Walk the bucket chains in place (no copy). The next entry is read
;; before proc runs, so proc may set or delete the current key.
(define (%table-fold t f acc who)
  (if (not (hash-table? t)) (%arg-error who "not a hash table" t))
  (let* ((v (%hash-table-buckets t)) (n (vector-length v)))
    (let loop ((i 0) (acc acc))
      (if (< i n)
          (loop (+ i 1)
                (let chain ((c (vector-ref v i)) (acc acc))
                  (if (pair? c)
                      (let ((next (cdr c))) (chain next (f (caar c) (cdar c) acc)))
                      acc)))
          acc))))
(define (hash-table-fold a b c)
  ;; SRFI-69 (hash-table-fold table kons knil) or SRFI-125 (... kons knil table)
  (if (hash-table? a)
      (%table-fold a b c 'hash-table-fold)
      (%table-fold c a b 'hash-table-fold)))
(define (hash-table-walk t proc)
  (%table-fold t (lambda (k v acc) (proc k v)) #f 'hash-table-walk)
  (if #f #f))

;;; hash-table-update! hash-table-update!/default
(define (hash-table-update! t key proc . fail)
  (hash-table-set! t key (proc (apply hash-table-ref t key fail))))
(define (hash-table-update!/default t key proc default)
  (hash-table-set! t key (proc (hash-table-ref/default t key default))))

;; ---- hardware (hardware.py) ----

;;; for-millis
;; (for-millis (ms) body ...), as uLisp's: run the body once, then wait until
;; ms milliseconds have passed since it began (timer and pin callbacks run
;; meanwhile); the value is the milliseconds taken.
(define-macro (for-millis spec . body)
  (let ((t0 (gensym "t0")) (ms (gensym "ms")))
    `(let* ((,t0 (millis)) (,ms ,(if (pair? spec) (car spec) 0)))
       ,@body
       (%wait-since ,t0 ,ms))))

;;; %hw-slots
;; the thunks of every-ms and on-pin-change by slot (hardware.py's NSLOTS):
;; a global, so the collector keeps them
(define %hw-slots (make-vector 8 #f))

;; ---- MicroPython's objects (interop.py) and the network (netclient.py) ----

;;; %py-procs
;; the Lisp procedures lent to Python, by slot (interop.py's Procedure): a
;; global, so the collector keeps them
(define %py-procs (make-vector 16 #f))

;;; open-client with-client
;; (with-client (s host port) body ...), as uLisp's: s is a TCP connection
;; (netclient.py's Client) that read-line, read-char, read-string,
;; write-string, display and available take as a port; closed when the
;; body ends, by an error too.
(define (open-client host port)
  (py-call (py-get (py-import "netclient") "Client") host port))
(define-macro (with-client spec . body)
  (let ((s (car spec)))
    `(let ((,s (open-client ,(cadr spec) ,(caddr spec))))
       (dynamic-wind (lambda () #f)
                     (lambda () ,@body)
                     (lambda () (py-method ,s "close"))))))

;;; http-get
(define (http-get url)
  (py-call (py-get (py-import "netclient") "get") url))

;;; wifi-connect wifi-status wifi-ip
;; WiFi where MicroPython has network.WLAN (Pico W, ESP32); elsewhere an
;; error says there is none. The wait runs timer and pin callbacks.
(define (wifi-connect ssid password . seconds)
  (let ((w (py-call (py-get (py-import "netclient") "wlan")))
        (ms (* 1000 (if (pair? seconds) (car seconds) 15)))
        (t0 (millis)))
    (py-method w "active" #t)
    (unless (py-method w "isconnected")
      (py-method w "connect" ssid password)
      (let loop ()
        (unless (or (py-method w "isconnected") (> (- (millis) t0) ms))
          (sleep-ms 100)
          (loop))))
    (if (py-method w "isconnected")
        (wifi-ip)
        (error "wifi-connect: not connected" ssid (wifi-status)))))
(define (wifi-status)
  (string->symbol (py-call (py-get (py-import "netclient") "status"))))
(define (wifi-ip)
  (let ((ip (py-call (py-get (py-import "netclient") "ip"))))
    (if (string? ip) ip #f)))
