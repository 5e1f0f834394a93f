//! A plain HTTP/1.1 client for the portal's tests: one request per connection, as a browser
//! without cache or script would make it.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A response as the tests read it.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Page {
    /// The body without the invisible marks Fluent puts around each inserted value (U+2068,
    /// U+2069), for comparing text.
    pub fn plain(&self) -> String {
        self.body.replace(['\u{2068}', '\u{2069}'], "")
    }

    /// The first value of header `name` (lower case), or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// `GET path` with extra request headers.
pub async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the portal");
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the request");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .expect("read the response");
    parse(&raw)
}

fn parse(raw: &[u8]) -> Page {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response has a head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Page {
        status,
        headers,
        body: String::from_utf8(body).expect("the portal answers UTF-8"),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// `method path` with headers and a body.
async fn send(addr: SocketAddr, head: String, body: &[u8]) -> Page {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the portal");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("send the request");
    stream.write_all(body).await.expect("send the body");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .expect("read the response");
    parse(&raw)
}

/// Percent-encodes a form value (`application/x-www-form-urlencoded`).
pub fn form_encode(fields: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A person's browser without script: it keeps the cookies the portal sets, sends them back,
/// and posts forms with the token of the last page that showed one.
#[derive(Clone, Debug)]
pub struct Browser {
    pub addr: SocketAddr,
    pub cookies: std::collections::BTreeMap<String, String>,
    /// Extra headers on every request (`X-Forwarded-For` in tests of the proxy path).
    pub headers: Vec<(String, String)>,
}

impl Browser {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            cookies: Default::default(),
            headers: Vec::new(),
        }
    }

    fn head(&self, method: &str, path: &str) -> String {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            head.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head
    }

    /// Keeps what the response's `Set-Cookie` headers say (Max-Age=0 removes).
    pub fn absorb(&mut self, page: &Page) {
        for (_, value) in page.headers.iter().filter(|(n, _)| n == "set-cookie") {
            let pair = value.split(';').next().unwrap_or_default();
            let Some((name, v)) = pair.split_once('=') else {
                continue;
            };
            if value.contains("Max-Age=0") {
                self.cookies.remove(name.trim());
            } else {
                self.cookies.insert(name.trim().to_string(), v.to_string());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let head = self.head("GET", path) + "\r\n";
        let page = send(self.addr, head, b"").await;
        self.absorb(&page);
        page
    }

    /// Posts `fields` as a form, as they are (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = form_encode(fields);
        let head = self.head("POST", path)
            + &format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
        let page = send(self.addr, head, body.as_bytes()).await;
        self.absorb(&page);
        page
    }

    /// Posts a `multipart/form-data` form, as a browser sends a file input: `fields`, then
    /// `file` as the part `name` (a file named `file_name`).
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        (name, file_name, file): (&str, &str, &[u8]),
    ) -> Page {
        let boundary = "----TachaworTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        for (field, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let head = self.head("POST", path)
            + &format!(
                "Content-Type: multipart/form-data; boundary={boundary}\r\n\
                 Content-Length: {}\r\n\r\n",
                body.len()
            );
        let page = send(self.addr, head, &body).await;
        self.absorb(&page);
        page
    }

    /// Loads the form at `form_page`, then posts `fields` to `action` with its token.
    pub async fn submit(&mut self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        assert_eq!(page.status, 200, "{form_page}: {}", page.body);
        let token = form_token(&page);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    /// Follows a 303 to where it points.
    pub async fn follow(&mut self, page: &Page) -> Page {
        assert!(
            matches!(page.status, 302 | 303),
            "expected a redirect, got {}: {}",
            page.status,
            page.body
        );
        let to = page.header("location").to_string();
        self.get(&to).await
    }
}

/// A page as an anonymous reader gets it from a signed-in reader's copy: the header's link to
/// the inbox (with its count), the one personal thing on a public page, back to its empty slot.
pub fn without_inbox_link(body: &str) -> String {
    for lang in ["ar", "fr"] {
        let start = format!("<li><a href=\"/{lang}/account/notifications\"");
        if let Some(at) = body.find(&start) {
            let end = body[at..].find("</li>").expect("the link's item closes") + at + 5;
            return format!("{}<!--inbox-link-->{}", &body[..at], &body[end..]);
        }
    }
    body.to_string()
}

/// The hidden form token of a page's form.
pub fn form_token(page: &Page) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("the page has a form token: {}", page.body))
        + marker.len();
    let end = page.body[start..].find('"').expect("a closing quote") + start;
    page.body[start..end].to_string()
}

/// The value of the hidden field `name` of a page's form, as the page writes it (escaped).
pub fn hidden(page: &Page, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("the page has {name}: {}", page.body))
        + marker.len();
    let end = page.body[start..].find('"').expect("a closing quote") + start;
    page.body[start..end].to_string()
}

/// A response whose body is kept as bytes (a PDF).
#[derive(Debug)]
pub struct Download {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Download {
    /// The first value of header `name` (lower case), or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The body as text, for a response that turned out to be a page.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

impl Browser {
    /// `GET path`, keeping the body as bytes.
    pub async fn download(&mut self, path: &str) -> Download {
        let head = self.head("GET", path) + "\r\n";
        let mut stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect to the portal");
        stream
            .write_all(head.as_bytes())
            .await
            .expect("send the request");
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .await
            .expect("read the response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response has a head");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Download {
            status,
            headers,
            body,
        }
    }
}
