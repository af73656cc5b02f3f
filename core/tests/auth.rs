//! Deployment authorization: verification order and classes (spec 11.7), expectations (11.6).

use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module::auth::{
    Expectations, SignerHeader, VerifyOptions, create_authorization, sign_authorization,
    verify_authorization,
};
use space_data_module::keys::random::ScriptedRandom;
use space_data_module::keys::signing::{PublicKey, Signer};

fn signer() -> Signer {
    Signer::from_private_key(
        &hex::decode("e284129cc0922579a535bbf4d1a3b25773090d28c909bc0fed73b5e0222cc372").unwrap(),
    )
    .unwrap()
}

fn envelope() -> Value {
    let options = json!({
        "artifactId": " a1 ", "programId": "p1", "graphHash": "g", "manifestHash": "m",
        "target": {"targetId": "t1", "audience": "aud"}, "capabilities": ["clock", " net ", "", null],
        "issuedAt": 1000, "ttlMs": 500,
    });
    let payload =
        create_authorization(&options, 0.0, &mut ScriptedRandom::new([vec![0xab; 16]])).unwrap();
    assert_eq!(payload["artifactId"], "a1");
    assert_eq!(payload["capabilities"], json!(["clock", "net"]));
    assert_eq!(
        payload["target"],
        json!({"kind": "remote", "id": "t1", "audience": "aud", "url": null})
    );
    assert_eq!(payload["expiresAt"], 1500);
    assert_eq!(payload["nonce"], "abababababababababababababababab");
    sign_authorization(&payload, &signer(), &SignerHeader::default()).unwrap()
}

fn class(envelope: &Value, now: f64, expectations: &Expectations) -> Option<ErrorCode> {
    verify_authorization(
        envelope,
        &[PublicKey::from(&signer())],
        VerifyOptions::at(now),
        expectations,
    )
    .err()
    .map(|e| e.code())
}

#[test]
fn verification_classes_in_order() {
    let good = envelope();
    let none = Expectations::default();
    assert_eq!(class(&good, 1200.0, &none), None);
    assert_eq!(class(&good, 1500.0, &none), None);
    assert_eq!(
        class(&good, 1501.0, &none),
        Some(ErrorCode::AuthorizationExpired)
    );
    assert_eq!(
        class(&good, 999.0, &none),
        Some(ErrorCode::AuthorizationExpired)
    );
    let skewed = VerifyOptions {
        now_ms: 1501.0,
        clock_skew_ms: 10.0,
    };
    assert!(verify_authorization(&good, &[PublicKey::from(&signer())], skewed, &none).is_ok());

    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("signatureHex");
    assert_eq!(
        class(&missing, 1200.0, &none),
        Some(ErrorCode::AuthorizationMalformed)
    );
    let mut algorithm = good.clone();
    algorithm["protected"]["algorithm"] = json!("ed25519");
    assert_eq!(
        class(&algorithm, 1200.0, &none),
        Some(ErrorCode::UnsupportedAlgorithm)
    );
    let mut stranger = good.clone();
    stranger["protected"]["publicKeyHex"] =
        json!("03c954cababcaac1d97b97ef3fb517309e7d66e908f9440f31a9ddec15e777df2a");
    assert_eq!(
        class(&stranger, 1200.0, &none),
        Some(ErrorCode::SignerUntrusted)
    );
    let mut times = good.clone();
    times["payload"]["expiresAt"] = json!("never");
    assert_eq!(
        class(&times, 1200.0, &none),
        Some(ErrorCode::AuthorizationMalformed)
    );
    let mut tampered = good.clone();
    tampered["payload"]["programId"] = json!("p2");
    assert_eq!(
        class(&tampered, 1200.0, &none),
        Some(ErrorCode::AuthorizationSignatureInvalid)
    );
    let mut short = good.clone();
    short["signatureHex"] = json!("00");
    assert_eq!(
        class(&short, 1200.0, &none),
        Some(ErrorCode::AuthorizationSignatureInvalid)
    );
}

#[test]
fn expectations_are_checked_after_the_signature() {
    let good = envelope();
    let expect = |artifact: Value, target: Value, caps: Value| Expectations {
        artifact,
        target,
        required_capabilities: caps,
    };
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(
                json!({"artifactId": "a1", "graphHash": "g"}),
                json!("https://x"),
                json!(["net"])
            )
        ),
        None
    );
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(json!({"artifactId": "a2"}), Value::Null, Value::Null)
        ),
        Some(ErrorCode::AuthorizationMismatch)
    );
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(json!({"manifestHash": "x"}), Value::Null, Value::Null)
        ),
        Some(ErrorCode::AuthorizationMismatch)
    );
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(Value::Null, json!({"id": "t2"}), Value::Null)
        ),
        Some(ErrorCode::AuthorizationMismatch)
    );
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(Value::Null, json!({"audience": "other"}), Value::Null)
        ),
        Some(ErrorCode::AuthorizationMismatch)
    );
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(Value::Null, Value::Null, json!(["filesystem"]))
        ),
        Some(ErrorCode::AuthorizationMismatch)
    );
    // Falsy expectations are not checked, as in the reference.
    assert_eq!(
        class(
            &good,
            1200.0,
            &expect(json!({"artifactId": ""}), json!({"id": null}), json!([]))
        ),
        None
    );
}
