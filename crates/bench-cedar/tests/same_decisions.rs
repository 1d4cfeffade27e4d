//! CI's check of the Cedar comparison: on the small team, both encodings
//! give our decisions on every sampled request, and the sample has both
//! decisions. No timing is asserted here.

use bench_cedar::{Encoding, Setup};
use permissions_core::model::synthetic::Scale;

fn assert_same_decisions(encoding: Encoding) {
    let setup = match Setup::new(Scale::S, encoding, 400, 7) {
        Ok(s) => s,
        Err(e) => panic!("{}: {e}", encoding.name()),
    };
    let mismatches = setup.mismatches();
    assert!(
        mismatches.is_empty(),
        "{}: {} of {} requests differ, first: {:?}",
        encoding.name(),
        mismatches.len(),
        setup.requests.len(),
        &mismatches[..mismatches.len().min(5)]
    );
    let allowed = setup.allowed_share();
    assert!(
        (0.2..0.8).contains(&allowed),
        "both decisions are common: {allowed}"
    );
}

#[test]
fn grants_as_data_gives_our_decisions_on_scale_s() {
    assert_same_decisions(Encoding::GrantsAsData);
}

#[test]
fn a_permit_per_grant_gives_our_decisions_on_scale_s() {
    assert_same_decisions(Encoding::PermitPerGrant);
}
