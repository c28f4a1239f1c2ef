// Draws an embed page's turn-the-curve chart from the JSON block the server wrote
// (dashboards/embed.py); a script file, so the page needs no inline script. On screen the
// page's own heading and footer name the chart, so the chart drops its title; a chart
// saved with the modebar's buttons keeps it, with its source, date and partnership.
(function () {
    function saver(figure, format, filename, label) {
        return {
            name: "save-" + format,
            title: label,
            icon: window.Plotly.Icons.camera,
            click: function () {
                var layout = Object.assign({}, figure.layout, {width: 1100, height: 560});
                window.Plotly.downloadImage({data: figure.data, layout: layout},
                    {format: format, filename: filename, width: 1100, height: 560});
            }
        };
    }

    function draw() {
        var data = document.getElementById("embed-figure");
        var target = document.getElementById("embed-chart");
        if (!data || !target || !window.Plotly) {
            return;
        }
        var figure = JSON.parse(data.textContent);
        var options = JSON.parse(document.getElementById("embed-options").textContent);
        var shown = JSON.parse(data.textContent).layout || {};
        delete shown.height;  // the frame decides: see embed.css
        shown.autosize = true;
        shown.title = {text: ""};
        shown.margin = Object.assign({}, shown.margin, {t: 16});
        window.Plotly.newPlot(target, figure.data, shown, {
            responsive: true,
            displaylogo: false,
            modeBarButtonsToRemove: ["toImage", "select2d", "lasso2d", "sendChartToCloud"],
            modeBarButtonsToAdd: [saver(figure, "png", options.filename, options.png),
                                  saver(figure, "svg", options.filename, options.svg)]
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", draw);
    } else {
        draw();
    }
})();
