//! A running `opsbook serve` for tests, and a raw HTTP client that sends paths exactly as written.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::TestSite;

/// A running `opsbook serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[])
    }

    pub fn start_with(site: &TestSite, args: &[&str]) -> Server {
        Server::start_env(site, args, &[])
    }

    /// `start_with`, with these environment variables set for the server.
    pub fn start_env(site: &TestSite, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Server {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(site.root())
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start opsbook serve");
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if server.get("/").0 != 0 {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("server did not start");
    }

    /// Sends a raw request line (no normalization by a client library) and returns status, headers, body.
    pub fn raw(&self, request: &str) -> (u16, String, String) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new(), String::new());
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(40)))
            .unwrap();
        let _ = stream.write_all(request.as_bytes());
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    pub fn get(&self, path: &str) -> (u16, String, String) {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Polls `path` until its body contains `needle`.
    #[track_caller]
    pub fn wait_for(&self, path: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, _, body) = self.get(path);
            if body.contains(needle) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "`{needle}` never appeared at {path}; last body:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// The current build number, from the reload endpoint.
    pub fn build_number(&self) -> u64 {
        let (_, _, body) = self.get("/__opsbook/reload?build=0&page=/");
        let json: serde_json::Value = serde_json::from_str(&body).expect("reload JSON");
        json["build"].as_u64().unwrap()
    }
}
