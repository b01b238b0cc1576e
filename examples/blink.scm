;; Blink the board's LED ten times, half a second on and half off.
;; On a Pico (LED on GPIO 25, the "led" of its board profile) it runs as
;; written; on the host, the simulated board logs each LED write:
;;   MOTE_SIM_LOG=/dev/stderr mote run examples/blink.scm
;; (add MOTE_SIM=fast to skip the waiting).
(define (blink times ms)
  (do ((i 0 (+ i 1)))
      ((= i times))
    (board-led #t)
    (sleep-ms ms)
    (board-led #f)
    (sleep-ms ms)))

(blink 10 500)
(display "blinked 10 times")
(newline)
