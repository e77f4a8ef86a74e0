// opsbook live reload: asks the preview server for news of a newer build (long-polling on the
// same port), reloads this page when it changed, and shows build errors over the page.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = Number(script && script.dataset.build) || 0;
  var page = location.pathname;
  var key = "opsbook-scroll:" + page;

  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  function overlay(errors, served) {
    var old = document.getElementById("opsbook-overlay");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("section");
    box.id = "opsbook-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:99999;" +
      "background:#1d1f21;color:#f3f3f3;border:3px solid #e5484d;border-radius:8px;padding:1rem 1.25rem;" +
      "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "opsbook: the last edit does not build (" + errors.length + " problem" + (errors.length === 1 ? "" : "s") + "). " +
      (served ? "Showing the last good version." : "Fix it and this page reloads by itself.");
    title.style.cssText = "display:block;color:#ff9592;margin-bottom:.5rem;font-family:system-ui,sans-serif";
    box.appendChild(title);
    errors.forEach(function (e) {
      var item = document.createElement("div");
      item.style.cssText = "margin:.6rem 0;white-space:pre-wrap";
      var head = document.createElement("div");
      head.textContent = e.location + ": " + e.severity + ": " + e.message;
      item.appendChild(head);
      if (e.source) {
        var src = document.createElement("div");
        src.style.color = "#9aa4ad";
        src.textContent = "  " + e.line + " | " + e.source;
        item.appendChild(src);
      }
      if (e.suggestion) {
        var help = document.createElement("div");
        help.style.color = "#8fd3ff";
        help.textContent = "  help: " + e.suggestion;
        item.appendChild(help);
      }
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }

  function poll(now) {
    var url = "/__opsbook/reload?build=" + build + "&page=" + encodeURIComponent(page) + (now ? "&now=1" : "");
    fetch(url, { cache: "no-store" })
      .then(function (r) {
        if (r.status === 204) return null;
        return r.json();
      })
      .then(function (news) {
        if (news) {
          build = news.build;
          if (news.reload) {
            sessionStorage.setItem(key, String(window.scrollY));
            location.reload();
            return;
          }
          overlay(news.errors || [], news.served);
        }
        poll(false);
      })
      .catch(function () { setTimeout(function () { poll(false); }, 1000); });
  }
  // Ask at once about the current build (it may have errors), then wait for newer ones.
  poll(true);
})();
