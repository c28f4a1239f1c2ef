// The language links (EN | ES) keep the rest of the address, so a page's own choices in
// its query string (e.g. /equity?result=R5&page=2) survive a change of language. The
// links' plain href ("?lang=es") still works where this script does not run.
document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.lang-link") : null;
    if (!link) {
        return;
    }
    var url = new URL(window.location.href);
    url.searchParams.set("lang", link.getAttribute("hreflang") || link.lang);
    link.setAttribute("href", url.pathname + url.search + url.hash);
}, true);
