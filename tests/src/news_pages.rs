//! News and plain-language pages through the portal: staff write, publish, edit and unpublish
//! them on the news desk (a citizen refused, bad input named beside its fields with nothing
//! written), and the public reads them in Arabic and French — the news list, the article, the
//! pages, the home page and the Atom feed — with a body's markup shown as text, never run.
//!
//! Public pages are kept by the portal's short cache for anonymous readers, so a page read
//! again after a change is read as a signed-in person (never served from that cache) or at an
//! address not read before.

use tachawor_proto::consultation::{
    Article, ArticleKind, ArticleStatus, GetArticleRequest, ListArticlesRequest,
};

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::{self, Browser, Page},
};

/// Every article as staff list it through the consultation service.
async fn every_article(p: &Platform, staff: &Person) -> Vec<Article> {
    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = p
            .consultation_as(&staff.token)
            .list_articles(ListArticlesRequest {
                include_unpublished: true,
                page: Some(tachawor_proto::common::PageRequest {
                    page_size: 100,
                    page_token: token,
                }),
                ..Default::default()
            })
            .await
            .expect("list every article")
            .into_inner();
        all.extend(page.articles);
        if page.next_page_token.is_empty() {
            return all;
        }
        token = page.next_page_token;
    }
}

async fn article_by_slug(p: &Platform, staff: &Person, slug: &str) -> Option<Article> {
    every_article(p, staff)
        .await
        .into_iter()
        .find(|a| a.slug == slug)
}

/// The published article `slug` as anyone reads it through gRPC, if it is published.
async fn public_article(p: &Platform, slug: &str) -> Option<Article> {
    p.consultation_as("")
        .get_article(GetArticleRequest {
            slug: slug.into(),
            ..Default::default()
        })
        .await
        .ok()
        .and_then(|r| r.into_inner().article)
}

/// `path` read by an anonymous visitor who chose its language already (the `lang` cookie), as
/// a shared cache would see it.
async fn public_read(p: &Platform, path: &str) -> Page {
    let lang = if path.starts_with("/fr") {
        "lang=fr"
    } else {
        "lang=ar"
    };
    web::get(p.portal, path, &[("Cookie", lang)]).await
}

fn assert_public(page: &Page, what: &str) {
    assert_eq!(page.status, 200, "{what}: {}", page.body);
    assert!(
        page.header("cache-control").starts_with("public"),
        "{what} is a public page: {:?}",
        page.headers
    );
}

/// A short unique suffix for slugs, so both platforms' runs and reruns never collide.
fn suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_string()
}

/// Posts a row action (publish, unpublish) of the desk's list with the list's own token.
async fn row_action(browser: &mut Browser, lang: &str, id: &str, action: &str) -> Page {
    browser
        .submit(
            &format!("/{lang}/staff/news"),
            &format!("/{lang}/staff/news/{id}/{action}"),
            &[],
        )
        .await
}

/// Checks the feed is well-formed Atom in `lang` with an entry titled `title` whose text is
/// `body_part` (parsed by Python's XML parser: markup in the body is text, so it comes back
/// as typed).
async fn assert_atom(feed: &Page, lang: &str, title: &str, body_part: &str) {
    use tokio::io::AsyncWriteExt;
    let script = r#"
import sys, json, xml.etree.ElementTree as E
A = "{http://www.w3.org/2005/Atom}"
root = E.fromstring(sys.stdin.buffer.read())
assert root.tag == A + "feed", root.tag
lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
entries = [{"title": e.find(A + "title").text, "content": e.find(A + "content").text,
            "lang": e.get("{http://www.w3.org/XML/1998/namespace}lang"),
            "id": e.find(A + "id").text, "updated": e.find(A + "updated").text,
            "link": e.find(A + "link").get("href")} for e in root.findall(A + "entry")]
for need in ("id", "title", "updated", "author"):
    assert root.find(A + need) is not None, need
print(json.dumps({"lang": lang, "entries": entries}))
"#;
    let mut child = tokio::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(feed.body.as_bytes())
        .await
        .expect("write the feed");
    drop(stdin);
    let out = child.wait_with_output().await.expect("python3 ends");
    assert!(
        out.status.success(),
        "the feed parses as Atom: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        feed.body
    );
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(parsed["lang"], lang, "the feed's language");
    let entry = parsed["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["title"] == title)
        .unwrap_or_else(|| panic!("an entry titled {title}: {parsed}"));
    assert_eq!(entry["lang"], lang);
    assert!(
        entry["content"]
            .as_str()
            .unwrap_or_default()
            .contains(body_part),
        "{entry}"
    );
    assert!(
        entry["link"]
            .as_str()
            .unwrap_or_default()
            .starts_with("http"),
        "absolute links: {entry}"
    );
}

/// Who opens the news desk: anonymous sent to sign in, a citizen refused (pages and posts,
/// nothing written), staff in from the console's home.
pub async fn check_who_opens_the_desk(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let citizen = p.citizen().await;

    let anonymous = web::get(p.portal, "/fr/staff/news", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/fr/sign-in?next=%2Ffr%2Fstaff%2Fnews"),
        "{:?}",
        anonymous.headers
    );

    let before = every_article(p, &staff).await.len();
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    for path in ["/ar/staff/news", "/ar/staff/news/new"] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert_eq!(refused.header("cache-control"), "no-store");
    }
    let token = web::form_token(&as_citizen.get("/ar/account").await);
    let slug = format!("citizen-{}", suffix());
    let denied = as_citizen
        .post_raw(
            "/ar/staff/news",
            &[
                ("csrf", &token),
                ("slug", &slug),
                ("kind", "news"),
                ("fr_title", "Titre"),
                ("fr_body", "Texte"),
            ],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(
        every_article(p, &staff).await.len(),
        before,
        "nothing written"
    );

    for lang in ["ar", "fr"] {
        let mut as_staff = sign_in(p, &staff, lang).await;
        let home = as_staff.get(&format!("/{lang}/staff")).await;
        assert!(
            home.body.contains(&format!("href=\"/{lang}/staff/news\"")),
            "the console links the news desk"
        );
        let desk = as_staff.get(&format!("/{lang}/staff/news")).await;
        assert_eq!(desk.status, 200, "{}", desk.body);
        assert_localized(&desk, lang);
        assert_eq!(desk.header("cache-control"), "no-store");
        assert!(
            desk.body
                .contains(&format!("href=\"/{lang}/staff/news/new\""))
        );
        let form = as_staff.get(&format!("/{lang}/staff/news/new")).await;
        assert_eq!(form.status, 200);
        assert_localized(&form, lang);
        for field in [
            "slug",
            "kind",
            "ar_title",
            "ar_body",
            "fr_title",
            "fr_summary",
            "fr_body",
        ] {
            assert!(form.body.contains(&format!("id=\"{field}\"")), "{field}");
        }
    }
}

/// Bad input on the form: each refused field named beside it in the page's language, the
/// answers kept, nothing written (read back through ListArticles).
pub async fn check_bad_input(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let before = every_article(p, &staff).await.len();

    let mut as_staff = sign_in(p, &staff, "fr").await;
    let refused = as_staff
        .submit(
            "/fr/staff/news/new",
            "/fr/staff/news",
            &[
                ("slug", "Pas Bon"),
                ("kind", "news"),
                ("ar_body", "نص بلا عنوان"),
                ("fr_title", "Un titre gardé"),
                ("fr_body", "Texte"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "fr");
    assert!(refused.plain().contains("<title>Erreur :"));
    assert_beside(&refused, "slug", "3 à 80 lettres minuscules");
    assert_beside(&refused, "ar_title", "Écrivez le titre arabe");
    assert!(
        refused.body.contains("value=\"Un titre gardé\""),
        "answers kept"
    );
    assert!(refused.body.contains("نص بلا عنوان"), "the body kept");

    // Nothing typed in either language: said beside the first title, in Arabic.
    let mut in_arabic = sign_in(p, &staff, "ar").await;
    let empty = in_arabic
        .submit(
            "/ar/staff/news/new",
            "/ar/staff/news",
            &[("slug", &format!("empty-{}", suffix())), ("kind", "page")],
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert_localized(&empty, "ar");
    assert_beside(&empty, "ar_title", "اكتب العنوان بالعربية");

    // No kind chosen.
    let no_kind = in_arabic
        .submit(
            "/ar/staff/news/new",
            "/ar/staff/news",
            &[
                ("slug", &format!("kindless-{}", suffix())),
                ("fr_title", "Titre"),
                ("fr_body", "Texte"),
            ],
        )
        .await;
    assert_eq!(no_kind.status, 422, "{}", no_kind.body);
    assert_beside(&no_kind, "kind", "اختر هل النص خبر");

    // Without the form's token: refused before the service.
    let forged = as_staff
        .post_raw(
            "/fr/staff/news",
            &[
                ("csrf", "x"),
                ("slug", &format!("forged-{}", suffix())),
                ("kind", "news"),
                ("fr_title", "Titre"),
                ("fr_body", "Texte"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        every_article(p, &staff).await.len(),
        before,
        "nothing written"
    );
}

/// A news item written in both languages and published from the desk, read by the public in
/// Arabic and French (list, article by slug and by id, home, feed), its markup escaped;
/// edited; a page in French only shown with its language marked; unpublished, gone for the
/// public.
pub async fn check_publish_and_read(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let citizen = p.citizen().await;
    let slug = format!("forum-{}", suffix());
    let ar_title = format!("انطلاق المنتدى الجهوي {slug}");
    let fr_title = format!("Ouverture du Forum régional {slug}");
    let fr_body =
        "Premier paragraphe.\nDeuxième ligne.\n\n<script>alert('x')</script> & <b>gras</b>";

    let mut as_staff = sign_in(p, &staff, "ar").await;
    let created = as_staff
        .submit(
            "/ar/staff/news/new",
            "/ar/staff/news",
            &[
                ("slug", &slug),
                ("kind", "news"),
                ("ar_title", &ar_title),
                ("ar_summary", "ملخص قصير"),
                ("ar_body", "الفقرة الأولى.\n\nالفقرة الثانية."),
                ("fr_title", &fr_title),
                ("fr_body", fr_body),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let after = as_staff.follow(&created).await;
    assert!(after.plain().contains("حُفظ النص كمسودة"), "{}", after.body);
    assert!(after.body.contains(&ar_title), "the draft is listed");
    let draft = article_by_slug(p, &staff, &slug)
        .await
        .expect("the draft is written");
    assert_eq!(draft.status, ArticleStatus::Draft as i32);
    assert_eq!(draft.kind, ArticleKind::News as i32);
    assert_eq!(draft.translations.len(), 2);
    assert_eq!(draft.translations[1].body, fr_body.replace("\r\n", "\n"));

    // A draft is nobody's to read.
    let hidden = public_read(p, &format!("/fr/news/{slug}")).await;
    assert_eq!(hidden.status, 404, "a draft is not public");
    assert!(public_article(p, &slug).await.is_none());

    let published = row_action(&mut as_staff, "ar", &draft.article_id, "publish").await;
    assert_eq!(published.status, 303, "{}", published.body);
    let after = as_staff.follow(&published).await;
    assert!(after.plain().contains("نُشر النص"), "{}", after.body);
    let read = public_article(p, &slug)
        .await
        .expect("published for anyone");
    assert_eq!(read.status, ArticleStatus::Published as i32);
    // Publishing again is refused, said as a sentence.
    let twice = row_action(&mut as_staff, "fr", &draft.article_id, "publish").await;
    assert_eq!(twice.status, 303);
    assert!(twice.header("location").ends_with("done=refused"));

    for (lang, title) in [("ar", ar_title.as_str()), ("fr", fr_title.as_str())] {
        let list = public_read(p, &format!("/{lang}/news")).await;
        assert_public(&list, "the news list");
        assert_localized(&list, lang);
        assert!(list.body.contains(title), "{lang} list shows it");
        assert!(list.body.contains(&format!("href=\"/{lang}/news/{slug}\"")));
        assert!(
            list.body.contains(&format!(
                "type=\"application/atom+xml\" href=\"/{lang}/news.xml\""
            )),
            "the head links the feed"
        );

        let page = public_read(p, &format!("/{lang}/news/{slug}")).await;
        assert_public(&page, "the article");
        assert_localized(&page, lang);
        assert!(page.body.contains(title));
        assert!(!page.body.contains("<script>"), "no markup from the body");

        let home = public_read(p, &format!("/{lang}/")).await;
        assert_eq!(home.status, 200);
        assert!(
            home.body.contains(title),
            "{lang} home shows the latest news"
        );
        assert!(home.body.contains(&format!("href=\"/{lang}/news\"")));

        let feed = public_read(p, &format!("/{lang}/news.xml")).await;
        assert_eq!(feed.status, 200);
        assert_eq!(
            feed.header("content-type"),
            "application/atom+xml; charset=utf-8"
        );
        assert!(feed.header("cache-control").starts_with("public"));
        assert!(!feed.body.contains("<script>"), "escaped in the feed");
        let body_part = if lang == "fr" {
            "<script>alert('x')</script> & <b>gras</b>"
        } else {
            "الفقرة الثانية."
        };
        assert_atom(&feed, lang, title, body_part).await;
    }
    // The French article: paragraphs and line breaks, the markup as text.
    let fr = public_read(p, &format!("/fr/news/{}", draft.article_id)).await;
    assert_public(&fr, "the article by id");
    assert!(
        fr.body
            .contains("<p>Premier paragraphe.<br>Deuxième ligne.</p>"),
        "{}",
        fr.body
    );
    assert!(
        fr.body.contains(
            "<p>&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#60;b&#62;gras&#60;/b&#62;</p>"
        ),
        "the markup shown as text: {}",
        fr.body
    );

    // Edited: the Arabic title changes, read back through gRPC.
    let new_title = format!("المنتدى الجهوي: البرنامج {slug}");
    let edit_path = format!("/ar/staff/news/{}", draft.article_id);
    let form = as_staff.get(&edit_path).await;
    assert!(
        form.body.contains(&format!("value=\"{ar_title}\"")),
        "the form is filled in"
    );
    let saved = as_staff
        .submit(
            &edit_path,
            &edit_path,
            &[
                ("slug", &slug),
                ("ar_title", &new_title),
                ("ar_body", "الفقرة الأولى."),
                ("fr_title", &fr_title),
                ("fr_body", fr_body),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let edited = article_by_slug(p, &staff, &slug)
        .await
        .expect("still there");
    assert_eq!(edited.translations[0].title, new_title);
    assert_eq!(edited.status, ArticleStatus::Published as i32);
    // A slug another article holds: said beside the slug, nothing changed.
    let other = format!("other-{}", suffix());
    let made = as_staff
        .submit(
            "/ar/staff/news/new",
            "/ar/staff/news",
            &[
                ("slug", &other),
                ("kind", "news"),
                ("fr_title", "Autre"),
                ("fr_body", "Autre"),
            ],
        )
        .await;
    assert_eq!(made.status, 303);
    let taken = as_staff
        .submit(
            &edit_path,
            &edit_path,
            &[
                ("slug", &other),
                ("fr_title", &fr_title),
                ("fr_body", fr_body),
            ],
        )
        .await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    assert_beside(&taken, "slug", "لنص آخر هذا العنوان");
    assert_eq!(
        article_by_slug(p, &staff, &slug)
            .await
            .unwrap()
            .translations
            .len(),
        2
    );

    // A plain-language page in French only: listed under pages, shown in French on the Arabic
    // page with its language marked and the missing Arabic said; not a news item.
    let page_slug = format!("comment-participer-{}", suffix());
    let made = as_staff
        .submit(
            "/ar/staff/news/new",
            "/ar/staff/news",
            &[
                ("slug", &page_slug),
                ("kind", "page"),
                ("fr_title", "Comment participer"),
                (
                    "fr_body",
                    "Inscrivez-vous, puis faites vérifier votre compte.",
                ),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let guide = article_by_slug(p, &staff, &page_slug)
        .await
        .expect("the page");
    assert_eq!(guide.missing_languages, ["ar"]);
    let desk = as_staff.get("/ar/staff/news").await;
    assert!(
        desk.plain().contains("ينقص: العربية"),
        "the desk says what is missing"
    );
    assert_eq!(
        row_action(&mut as_staff, "ar", &guide.article_id, "publish")
            .await
            .status,
        303
    );
    let shown = public_read(p, &format!("/ar/pages/{page_slug}")).await;
    assert_public(&shown, "a plain-language page");
    assert_localized(&shown, "ar");
    assert!(shown.plain().contains("هذا النص غير مكتوب بالعربية بعد"));
    assert!(
        shown
            .body
            .contains("<h1 lang=\"fr\" dir=\"ltr\">Comment participer</h1>")
    );
    let index = public_read(p, "/fr/pages").await;
    assert_public(&index, "the pages' index");
    assert!(
        index
            .body
            .contains(&format!("href=\"/fr/pages/{page_slug}\""))
    );
    let footer = public_read(p, "/fr/training").await;
    assert!(
        footer.body.contains("href=\"/fr/pages\""),
        "the footer links the pages"
    );
    assert_eq!(
        public_read(p, &format!("/ar/news/{page_slug}"))
            .await
            .status,
        404,
        "a page is not a news item"
    );

    // Unpublished: gone for the public (read as a citizen, never from the portal's cache),
    // kept for staff.
    let down = row_action(&mut as_staff, "fr", &draft.article_id, "unpublish").await;
    assert_eq!(down.status, 303, "{}", down.body);
    assert!(
        as_staff
            .follow(&down)
            .await
            .plain()
            .contains("Le texte est retiré")
    );
    let gone = article_by_slug(p, &staff, &slug)
        .await
        .expect("kept for staff");
    assert_eq!(gone.status, ArticleStatus::Unpublished as i32);
    assert!(public_article(p, &slug).await.is_none());
    let mut reader = sign_in(p, &citizen, "fr").await;
    for path in [
        format!("/fr/news/{slug}"),
        format!("/ar/news/{slug}"),
        format!("/fr/news/{}", draft.article_id),
    ] {
        let page = reader.get(&path).await;
        assert_eq!(page.status, 404, "{path}");
    }
    let list = reader.get("/ar/news").await;
    assert!(!list.body.contains(&new_title), "no longer listed");
    let feed = reader.get("/fr/news.xml").await;
    assert!(!feed.body.contains(&fr_title), "no longer in the feed");
}

/// For the browser tests: a news item in both languages and a page in French only, made and
/// published through the service, and a suffix for the slugs the browser writes.
pub async fn seed_for_browser(p: &Platform, staff: &Person) -> serde_json::Value {
    use tachawor_proto::consultation::{
        ArticleTranslation, CreateArticleRequest, PublishArticleRequest,
    };
    let version = |language: &str, title: &str, body: &str| ArticleTranslation {
        language: language.into(),
        title: title.into(),
        summary: String::new(),
        body: body.into(),
    };
    let tag = suffix();
    let mut made = Vec::new();
    for (slug, kind, translations) in [
        (
            format!("forum-{tag}"),
            ArticleKind::News,
            vec![
                version(
                    "ar",
                    "انطلاق المنتدى الجهوي للشباب",
                    "يفتح المنتدى أبوابه للجمعيات والمواطنين.\n\nالتسجيل مفتوح في البوابة.",
                ),
                version(
                    "fr",
                    "Ouverture du Forum régional des jeunes",
                    "Le Forum ouvre ses portes aux associations et aux citoyens.\n\nL’inscription est ouverte sur le portail.",
                ),
            ],
        ),
        (
            format!("comment-participer-{tag}"),
            ArticleKind::Page,
            vec![version(
                "fr",
                "Comment participer",
                "Créez un compte, faites-le vérifier, puis donnez votre avis.",
            )],
        ),
    ] {
        let mut c = p.consultation_as(&staff.token);
        let article = c
            .create_article(CreateArticleRequest {
                slug: slug.clone(),
                kind: kind as i32,
                translations,
                idempotency_key: String::new(),
            })
            .await
            .expect("create an article")
            .into_inner()
            .article
            .expect("the article");
        c.publish_article(PublishArticleRequest {
            article_id: article.article_id.clone(),
        })
        .await
        .expect("publish it");
        made.push(serde_json::json!({"id": article.article_id, "slug": slug}));
    }
    serde_json::json!({"news": made[0], "page": made[1], "suffix": tag})
}

/// After the browser tests: the news items each language's run wrote and published on the
/// desk without JavaScript are published, read through the service.
pub async fn check_written_in_browser(p: &Platform, staff: &Person, seeded: &serde_json::Value) {
    let tag = seeded["suffix"].as_str().expect("the suffix");
    for lang in ["ar", "fr"] {
        let slug = format!("browser-{lang}-{tag}");
        let article = article_by_slug(p, staff, &slug)
            .await
            .unwrap_or_else(|| panic!("{lang}: the browser wrote {slug}"));
        assert_eq!(
            article.status,
            ArticleStatus::Published as i32,
            "{lang}: published"
        );
        assert!(public_article(p, &slug).await.is_some());
    }
}
