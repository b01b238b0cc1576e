# TCP clients, HTTP GET and WiFi for Mote's network procedures (library.scm:
# with-client, http-get, wifi-connect, ...), through py-call. Imported only
# by a program that uses the network. Works on CPython, the unix port and
# boards with `socket` (and `network.WLAN` for WiFi).
import socket

TIMEOUT = 10                    # seconds a connect or a read may take
STATUS = ('idle', 'connecting', 'wrong-password', 'no-ap-found', 'connect-fail', 'got-ip')


class Client:
    # A connected TCP socket as a stream: write, readline, read, available,
    # close (what Mote's ports ask of a Python stream), buffered so that
    # readline and available work on every port.
    def __init__(self, host, port, tls=False):
        ai = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]
        s = socket.socket(ai[0], socket.SOCK_STREAM)
        try:
            s.settimeout(TIMEOUT)
            s.connect(ai[-1])
            if tls:
                s = secure(s, host)
        except BaseException:
            s.close()
            raise
        self.sock = s
        self.buf = b''
        self.eof = False

    def write(self, data):
        s = self.sock
        if hasattr(s, 'sendall'):
            s.sendall(data)
        else:
            s.write(data)           # (an ssl socket on MicroPython)
        return len(data)

    def fill(self):
        # One more chunk into buf; False at the end of the stream.
        if self.eof:
            return False
        b = self.sock.recv(512) if hasattr(self.sock, 'recv') else self.sock.read(512)
        if not b:
            self.eof = True
            return False
        self.buf += b
        return True

    def readline(self):
        while b'\n' not in self.buf and self.fill():
            pass
        k = self.buf.find(b'\n') + 1 or len(self.buf)
        line = self.buf[:k]
        self.buf = self.buf[k:]
        return line

    def read(self, n=-1):
        while (n < 0 or len(self.buf) < n) and self.fill():
            pass
        if n < 0:
            n = len(self.buf)
        b = self.buf[:n]
        self.buf = self.buf[n:]
        return b

    def available(self):
        # Bytes that can be read now without waiting.
        if not self.buf and not self.eof:
            self.sock.setblocking(False)
            try:
                self.fill()
            except OSError:
                pass                # nothing yet (EAGAIN)
            finally:
                self.sock.settimeout(TIMEOUT)
        return len(self.buf)

    def close(self):
        self.sock.close()


def secure(s, host):
    # TLS over s (https). CPython checks the certificate; MicroPython's ssl
    # has no CA store by default, so on a board the link is encrypted but
    # the server is not verified.
    import ssl
    if hasattr(ssl, 'create_default_context'):
        return ssl.create_default_context().wrap_socket(s, server_hostname=host)
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.verify_mode = ssl.CERT_NONE
    return c.wrap_socket(s, server_hostname=host)


def split_url(url):
    # 'http://host:port/path' -> (tls, host, port, path)
    tls = url.startswith('https://')
    if not tls and not url.startswith('http://'):
        raise ValueError('not an http:// or https:// URL: ' + url)
    rest = url[8 if tls else 7:]
    k = rest.find('/')
    host, path = (rest, '/') if k < 0 else (rest[:k], rest[k:])
    port = 443 if tls else 80
    k = host.find(':')
    if k >= 0:
        port = int(host[k + 1:])
        host = host[:k]
    return tls, host, port, path


def get(url, limit=4092):
    # The body of an HTTP GET of url, as bytes (at most limit: a Mote
    # string's size); an error for a status other than 2xx.
    tls, host, port, path = split_url(url)
    c = Client(host, port, tls)
    try:
        c.write(b'GET ' + path.encode() + b' HTTP/1.0\r\nHost: ' + host.encode() +
                b'\r\nUser-Agent: Mote\r\nConnection: close\r\n\r\n')
        status = c.readline()
        parts = status.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b'HTTP/'):
            raise OSError('not an HTTP response: ' + repr(status[:40]))
        while c.readline().strip():
            pass                    # headers
        body = c.read(limit + 1)
    finally:
        c.close()
    if not parts[1].startswith(b'2'):
        raise OSError(status.strip().decode())
    if len(body) > limit:
        raise OSError('the body is longer than %d bytes (read it with with-client)' % limit)
    return body.decode()


def wlan():
    # The station interface, or an error on a board without WiFi.
    try:
        import network
        return network.WLAN(network.STA_IF)
    except (ImportError, AttributeError):
        raise OSError('no WiFi here (this MicroPython has no network.WLAN)')


def connect(ssid, password, seconds=15):
    # Join the network; the IP address, or an error naming the status.
    import time
    w = wlan()
    w.active(True)
    if not w.isconnected():
        w.connect(ssid, password)
        t = time.ticks_ms()
        while not w.isconnected() and time.ticks_diff(time.ticks_ms(), t) < seconds * 1000:
            time.sleep_ms(100)
    if not w.isconnected():
        raise OSError('not connected after %d s: %s' % (seconds, status()))
    return w.ifconfig()[0]


def status():
    # idle connecting wrong-password no-ap-found connect-fail got-ip (as a
    # name), or the port's own number.
    w = wlan()
    s = w.status()
    import network
    for k in range(len(STATUS)):
        if s == getattr(network, 'STAT_' + STATUS[k].upper().replace('-', '_'), None):
            return STATUS[k]
    return str(s)


def ip():
    w = wlan()
    return w.ifconfig()[0] if w.isconnected() else None
