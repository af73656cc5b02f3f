//! The rustls client configuration shared by https, wss and `tls.request`: the ring provider,
//! the webpki roots, the policy's extra roots and a request's own `ca`.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore};

use super::params::network_failed;
use crate::host::HostError;

/// Trust anchors beyond the webpki roots, as PEM texts (each may hold several certificates).
pub(crate) struct TrustExtras<'a> {
    /// `NetPolicy::extra_roots_pem`, chosen by the embedder.
    pub policy_pem: &'a [String],
    /// A request's `ca` param.
    pub request_pem: &'a [String],
}

/// A client certificate chain and its key, both PEM (`tls.request`'s `cert`/`key`).
pub(crate) struct ClientAuth<'a> {
    pub cert_pem: &'a str,
    pub key_pem: &'a str,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Builds a verifying client configuration; there is no way to turn verification off here.
pub(crate) fn client_config(
    extras: &TrustExtras<'_>,
    client_auth: Option<&ClientAuth<'_>>,
    alpn: &[&[u8]],
) -> Result<Arc<ClientConfig>, HostError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for pem in extras.policy_pem {
        add_pem_roots(&mut roots, pem, "NetPolicy.extra_roots_pem")?;
    }
    for pem in extras.request_pem {
        add_pem_roots(&mut roots, pem, "TLS ca")?;
    }
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|err| network_failed(format!("TLS configuration failed: {err}")))?
        .with_root_certificates(roots);
    let mut config = match client_auth {
        None => builder.with_no_client_auth(),
        Some(auth) => {
            let chain = parse_certificates(auth.cert_pem, "TLS cert")?;
            let key = PrivateKeyDer::from_pem_slice(auth.key_pem.as_bytes()).map_err(|err| {
                HostError::invalid_params(format!("TLS key is not a PEM private key: {err}"))
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|err| {
                HostError::invalid_params(format!("TLS cert and key are not usable: {err}"))
            })?
        }
    };
    config.alpn_protocols = alpn.iter().map(|protocol| protocol.to_vec()).collect();
    Ok(Arc::new(config))
}

fn parse_certificates(pem: &str, label: &str) -> Result<Vec<CertificateDer<'static>>, HostError> {
    let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| HostError::invalid_params(format!("{label} is not valid PEM: {err}")))?;
    if certificates.is_empty() {
        return Err(HostError::invalid_params(format!(
            "{label} holds no PEM certificate."
        )));
    }
    Ok(certificates)
}

fn add_pem_roots(roots: &mut RootCertStore, pem: &str, label: &str) -> Result<(), HostError> {
    for certificate in parse_certificates(pem, label)? {
        roots.add(certificate).map_err(|err| {
            HostError::invalid_params(format!("{label} holds an unusable certificate: {err}"))
        })?;
    }
    Ok(())
}

/// The name the server's certificate must carry: a DNS name or an IP address.
pub(crate) fn server_name(name: &str) -> Result<ServerName<'static>, HostError> {
    ServerName::try_from(name.to_owned()).map_err(|_| {
        HostError::invalid_params(format!("\"{name}\" is not a valid TLS server name."))
    })
}
