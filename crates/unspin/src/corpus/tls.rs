//! TLS for PostgreSQL connections, with the `sslmode` meanings PostgreSQL users know from libpq:
//!
//! | `sslmode` | encrypted | server certificate checked |
//! |---|---|---|
//! | `disable` | never | – |
//! | `prefer` (default) | when the server offers it | no |
//! | `require` | always | no, unless `sslrootcert` is given (then as `verify-ca`) |
//! | `verify-ca` | always | chain to a trusted root |
//! | `verify-full` | always | chain, and the host name in the URL |
//!
//! Trusted roots: `sslrootcert=PATH` (PEM), else `~/.postgresql/root.crt` when it exists (as
//! libpq), else the Mozilla roots compiled in (`sslrootcert=system` asks for those directly).
//! TLS is rustls with the ring provider: no system OpenSSL is needed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`; `allow` is read as `prefer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<SslMode, String> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                ))
            }
        })
    }

    /// What the `postgres` crate is told: it knows only whether TLS is off, tried or required.
    pub fn for_client(self) -> postgres::config::SslMode {
        match self {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => postgres::config::SslMode::Require,
        }
    }
}

/// A connection URL with its TLS parameters taken out (the `postgres` crate knows only part of
/// them), and those parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsUrl {
    /// The URL without `sslmode` and `sslrootcert`.
    pub url: String,
    pub mode: SslMode,
    /// `sslrootcert`, percent-decoded.
    pub root_cert: Option<String>,
}

impl TlsUrl {
    pub fn parse(url: &str) -> Result<TlsUrl, String> {
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, query),
            None => (url, ""),
        };
        let mut mode = SslMode::Prefer;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| format!("the URL parameter {key} is not valid UTF-8 after percent-decoding"))?;
            match key {
                "sslmode" => mode = SslMode::parse(&value)?,
                "sslrootcert" => root_cert = Some(value.into_owned()),
                "sslcert" | "sslkey" | "sslpassword" => {
                    return Err(format!("{key}: client certificates are not supported; authenticate with a password"))
                }
                "sslcrl" | "sslcrldir" => return Err(format!("{key}: certificate revocation lists are not supported")),
                _ => kept.push(pair),
            }
        }
        let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
        Ok(TlsUrl { url, mode, root_cert })
    }

    /// The connector for this URL's mode and roots.
    pub fn connector(&self) -> Result<MakeRustlsConnect, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let (chain, check_name) = match (self.mode, &self.root_cert) {
            (SslMode::Disable | SslMode::Prefer, _) | (SslMode::Require, None) => (None, false),
            (SslMode::Require | SslMode::VerifyCa, root) => (Some(webpki_verifier(root.as_deref(), &provider)?), false),
            (SslMode::VerifyFull, root) => (Some(webpki_verifier(root.as_deref(), &provider)?), true),
        };
        let verifier = Verifier { chain, check_name, algorithms: provider.signature_verification_algorithms };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(MakeRustlsConnect::new(config))
    }
}

fn webpki_verifier(root: Option<&str>, provider: &Arc<CryptoProvider>) -> Result<Arc<WebPkiServerVerifier>, String> {
    let roots = trusted_roots(root)?;
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| format!("TLS setup: {e}"))
}

fn trusted_roots(root: Option<&str>) -> Result<RootCertStore, String> {
    let file = match root {
        Some("system") => None,
        Some(path) => Some(PathBuf::from(path)),
        None => std::env::var_os("HOME")
            .map(|home| Path::new(&home).join(".postgresql/root.crt"))
            .filter(|p| p.is_file()),
    };
    let Some(file) = file else {
        return Ok(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() });
    };
    let mut store = RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(&file).map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
    for cert in certs {
        let cert = cert.map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
        store.add(cert).map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
    }
    if store.is_empty() {
        return Err(format!("sslrootcert {}: no PEM certificate in it", file.display()));
    }
    Ok(store)
}

/// The server-certificate check of every mode. The handshake must always be signed by the
/// certificate's key. Beyond that: no `chain` (`prefer`, `require` without roots) checks nothing
/// about who holds the certificate, as libpq; a `chain` requires it to lead to a trusted root,
/// and `check_name` (`verify-full`) that it names the host.
#[derive(Debug)]
struct Verifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else { return Ok(ServerCertVerified::assertion()) };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_are_taken_out_of_the_url() {
        let t = TlsUrl::parse("postgres://u:p@h/db?sslmode=verify-full&application_name=x&sslrootcert=%2Ftmp%2Fca.pem")
            .unwrap();
        assert_eq!(t.url, "postgres://u:p@h/db?application_name=x");
        assert_eq!(t.mode, SslMode::VerifyFull);
        assert_eq!(t.root_cert.as_deref(), Some("/tmp/ca.pem"));

        let t = TlsUrl::parse("postgresql://h/db").unwrap();
        assert_eq!((t.url.as_str(), t.mode, t.root_cert), ("postgresql://h/db", SslMode::Prefer, None));
        assert_eq!(TlsUrl::parse("postgres://h/db?sslmode=allow").unwrap().mode, SslMode::Prefer);
        assert_eq!(TlsUrl::parse("postgres://h/db?sslmode=disable").unwrap().url, "postgres://h/db");
    }

    #[test]
    fn unsupported_tls_parameters_are_refused_by_name() {
        let e = TlsUrl::parse("postgres://h/db?sslmode=strict").unwrap_err();
        assert!(e.contains("sslmode=strict") && e.contains("verify-full"), "{e}");
        let e = TlsUrl::parse("postgres://h/db?sslcert=/c.pem").unwrap_err();
        assert!(e.starts_with("sslcert: client certificates"), "{e}");
    }

    #[test]
    fn a_missing_or_empty_root_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.pem");
        let t = TlsUrl {
            url: "postgres://h/db".into(),
            mode: SslMode::VerifyFull,
            root_cert: Some(missing.display().to_string()),
        };
        let e = t.connector().err().unwrap();
        assert!(e.starts_with(&format!("sslrootcert {}", missing.display())), "{e}");

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let t = TlsUrl { root_cert: Some(empty.display().to_string()), ..t };
        let e = t.connector().err().unwrap();
        assert!(e.contains("no PEM certificate"), "{e}");

        // Without roots, require and prefer need no file; verify-full falls back to the Mozilla roots.
        for mode in [SslMode::Prefer, SslMode::Require, SslMode::VerifyFull] {
            assert!(TlsUrl { url: "postgres://h/db".into(), mode, root_cert: None }.connector().is_ok());
        }
    }
}
