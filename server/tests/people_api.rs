//! People administration through the API (issue 10 §1): an admin creates an
//! account, the invitation link sets its password once, roles and
//! organisations change, a disabled account's sessions end at once, and the
//! last active admin stays.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use futures_util::future::join_all;
use support::spawn;

/// Redeems `link` (`/invite?token=…`) with `password` anonymously.
async fn accept(app: &support::TestApp, link: &str, password: &str) -> (u16, serde_json::Value) {
    let token = link.split_once("token=").unwrap().1;
    app.post_csrf("/api/v1/auth/invite", &serde_json::json!({"token": token, "password": password})).await
}

#[tokio::test]
async fn an_admin_invites_a_reviewer_who_sets_a_password_once_and_signs_in() {
    let app = spawn().await;
    let admin = app.caller("demo.admin").await;
    let committee = app.caller("demo.committee").await;
    let person = serde_json::json!({"username": "lee.reviewer", "display_name": "이심사", "organisation": "전남대학교", "role": "reviewer"});
    assert_eq!(committee.post("/api/v1/admin/people", &person).await.0, 403);
    let bad = serde_json::json!({"username": "Lee Reviewer", "display_name": "", "organisation": "전남대학교", "role": "boss"});
    let (code, err) = admin.post("/api/v1/admin/people", &bad).await;
    assert_eq!(code, 400);
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["username", "display_name", "role"]);
    // Hostile text (a NUL, control characters) is refused by field, never a server error (PostgreSQL refuses NUL bytes).
    let hostile = serde_json::json!({"username": "e\u{0}w", "display_name": "최관리", "organisation": "인하대학교",
        "role": "reviewer", "expertise": ["U\u{1f}0"]});
    let (code, err) = admin.post("/api/v1/admin/people", &hostile).await;
    assert_eq!(code, 400, "{err}");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"username"), "{err}");
    let (code, invited) = admin.post("/api/v1/admin/people", &person).await;
    assert_eq!(code, 200, "{invited}");
    assert_eq!(
        (invited["person"]["active"].as_bool(), invited["person"]["role"].as_str()),
        (Some(false), Some("reviewer"))
    );
    assert_eq!(admin.post("/api/v1/admin/people", &person).await.1["error"], "username_taken");
    let link = invited["link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("/invite?token="), "{link}");
    // No password works before the link is used.
    assert_eq!(app.sign_in("lee.reviewer", "").await.1, 401);
    // A short password, or one containing the username, is refused and the link still works.
    let (code, err) = accept(&app, &link, "short").await;
    assert_eq!((code, err["field"].as_str()), (400, Some("password")), "{err}");
    assert_eq!(accept(&app, &link, "lee.reviewer-password").await.0, 400);
    let (code, done) = accept(&app, &link, "correct horse battery staple").await;
    assert_eq!((code, done["username"].as_str()), (200, Some("lee.reviewer")), "{done}");
    // Once only.
    let (code, err) = accept(&app, &link, "another long password").await;
    assert_eq!((code, err["error"].as_str()), (409, Some("invitation_invalid")));
    let (reviewer, status) = app.sign_in("lee.reviewer", "correct horse battery staple").await;
    assert_eq!(status, 200);
    let s: serde_json::Value =
        reviewer.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (s["user"]["role"].as_str(), s["user"]["organisation"].as_str()),
        (Some("reviewer"), Some("전남대학교"))
    );
    // Promoted to the committee: the next call already sees it.
    let (code, changed) = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/admin/people/lee.reviewer",
            Some(&serde_json::json!({"role": "committee"})),
        )
        .await;
    assert_eq!((code, changed["role"].as_str()), (200, Some("committee")), "{changed}");
    assert_eq!(reviewer.get(format!("{}/api/v1/committee/overview", app.base)).send().await.unwrap().status(), 200);
    // Disabled: the open session ends at once, sign-in is refused, no new link is issued.
    let (code, _) = admin
        .send(reqwest::Method::PATCH, "/api/v1/admin/people/lee.reviewer", Some(&serde_json::json!({"disabled": true})))
        .await;
    assert_eq!(code, 200);
    assert_eq!(reviewer.get(format!("{}/api/v1/committee/overview", app.base)).send().await.unwrap().status(), 401);
    assert_eq!(app.sign_in("lee.reviewer", "correct horse battery staple").await.1, 401);
    assert_eq!(
        admin.post("/api/v1/admin/people/lee.reviewer/invite", &serde_json::json!({})).await.1["error"],
        "account_disabled"
    );
    // Enabled again, a reset link replaces the password once used, and an older link no longer works.
    admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/admin/people/lee.reviewer",
            Some(&serde_json::json!({"disabled": false})),
        )
        .await;
    let (_, first) = admin.post("/api/v1/admin/people/lee.reviewer/invite", &serde_json::json!({})).await;
    let (_, second) = admin.post("/api/v1/admin/people/lee.reviewer/invite", &serde_json::json!({})).await;
    assert_eq!(accept(&app, first["link"].as_str().unwrap(), "a brand new password").await.0, 409, "replaced");
    assert_eq!(accept(&app, second["link"].as_str().unwrap(), "a brand new password").await.0, 200);
    assert_eq!(app.sign_in("lee.reviewer", "a brand new password").await.1, 200);
    // Everything is audited.
    let db = app.db().await;
    let actions = support::db::texts(
        &db,
        "SELECT action FROM audit_log WHERE body LIKE '%\"account\",\"id\":\"lee.reviewer\"%' AND action <> 'sign_in' \
         AND action <> 'sign_in_failed' ORDER BY seq",
        &[],
    )
    .await;
    assert_eq!(
        actions,
        [
            "account_created",
            "invitation_issued",
            "invitation_used",
            "account_changed",
            "account_changed",
            "account_changed",
            "invitation_issued",
            "invitation_issued",
            "invitation_used"
        ]
    );
    let (_, list) = admin.get("/api/v1/admin/people").await;
    assert!(list.as_array().unwrap().iter().any(|p| p["username"] == "lee.reviewer" && p["active"] == true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_last_active_admin_stays_even_when_two_admins_demote_each_other_at_once() {
    let app = spawn().await;
    let admin = app.caller("demo.admin").await;
    // A second admin.
    let (_, invited) = admin
        .post("/api/v1/admin/people", &serde_json::json!({"username": "second.admin", "display_name": "둘째", "organisation": "KISTI", "role": "admin"}))
        .await;
    let token = invited["link"].as_str().unwrap().split_once("token=").unwrap().1.to_owned();
    app.post_csrf("/api/v1/auth/invite", &serde_json::json!({"token": token, "password": "second admin password"}))
        .await;
    let (c, status) = app.sign_in("second.admin", "second admin password").await;
    assert_eq!(status, 200);
    let second = app.caller_of(c).await;
    // Both demote the other at the same moment: one wins, one admin is left.
    let demote = serde_json::json!({"role": "committee"});
    let (a, b) = tokio::join!(
        admin.send(reqwest::Method::PATCH, "/api/v1/admin/people/second.admin", Some(&demote)),
        second.send(reqwest::Method::PATCH, "/api/v1/admin/people/demo.admin", Some(&demote)),
    );
    let codes = [a.0, b.0];
    assert!(codes.contains(&200), "{a:?} {b:?}");
    let db = app.db().await;
    let admins = support::db::int(&db, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled", &[]).await;
    assert_eq!(admins, 1, "{a:?} {b:?}");
    // The one left can neither demote nor disable themselves.
    let left = support::db::texts(&db, "SELECT username FROM users WHERE role = 'admin' AND NOT disabled", &[]).await;
    let results =
        join_all([serde_json::json!({"role": "reviewer"}), serde_json::json!({"disabled": true})].iter().map(|body| {
            let path = format!("/api/v1/admin/people/{}", left[0]);
            let caller = if left[0] == "demo.admin" { admin.clone() } else { second.clone() };
            let body = body.clone();
            async move { caller.send(reqwest::Method::PATCH, &path, Some(&body)).await }
        }))
        .await;
    for (code, err) in results {
        assert_eq!((code, err["error"].as_str()), (409, Some("last_admin")), "{err}");
    }
}
