;; Read the ADC on pin 26 every 200 ms, five times (on the web page: the slider).
(do ((i 0 (+ i 1))) ((= i 5))
  (display (analogread 26)) (newline)
  (sleep-ms 200))
