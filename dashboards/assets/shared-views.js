// Shareable views: a page's clientside callbacks (dashboards.components.shared_views) call
// rbaShare with the choices shown, and the address changes to carry them (replaceState:
// no new history entry, no reload), so the address can be copied and shared as it is.
// Other parts of the query (lang) are kept; a blank choice leaves its name out.
window.rbaShare = function (params) {
    var url = new URL(window.location.href);
    Object.keys(params).forEach(function (name) {
        var value = params[name];
        var values = Array.isArray(value) ? value
            : (value === null || value === undefined || value === "" ? [] : [value]);
        url.searchParams.delete(name);
        values.forEach(function (item) { url.searchParams.append(name, String(item)); });
    });
    // where=city=Altadena reads as typed (the CLI's --where form), not where=city%3DAltadena
    var search = url.searchParams.toString().replace(/%3D/g, "=");
    var next = url.pathname + (search ? "?" + search : "") + url.hash;
    if (next !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", next);
    }
    return "";
};
