// A billing run's progress page (templates/billing/progress.html). Without
// this script the page reloads itself while the run is active; with it the
// page asks GET /api/v1/billing-runs/{id} about every half second and
// updates the bar, the counts and the amount in place, then shows the link
// to the results (or the error) once the run is done.
(function () {
  "use strict";

  var section = document.getElementById("run");
  if (!section || !window.fetch) {
    return;
  }
  var api = section.getAttribute("data-api");
  var resultsHref = section.getAttribute("data-results-href");
  var INTERVAL = 500;
  var RETRY = 2000;
  // The page's words, from its data- attributes (the page's language).
  function label(name, fallback) {
    var value = section.getAttribute("data-" + name);
    return value === null ? fallback : value;
  }
  var RUSSIAN = section.getAttribute("data-locale") === "ru";
  var STATUS_LABELS = {
    queued: label("status-queued", "Queued"),
    running: label("status-running", "Running"),
    completed: label("status-completed", "Completed"),
    failed: label("status-failed", "Failed")
  };

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(id, text) {
    var element = byId(id);
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function isActive(status) {
    return status === "queued" || status === "running";
  }

  // Thousands grouped with a no-break space, as Russian pages write them.
  function grouped(digits) {
    return RUSSIAN ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") : digits;
  }

  // Money from the API's decimal string, to kopecks, without floats:
  // "1131.6800" -> "1131.68" ("1 131,68" in Russian), "12" -> "12.00".
  function money(text) {
    var match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(String(text));
    if (!match) {
      return String(text);
    }
    var fraction = (match[3] || "").replace(/0+$/, "");
    while (fraction.length < 2) {
      fraction += "0";
    }
    return match[1] + grouped(match[2]) + (RUSSIAN ? "," : ".") + fraction;
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  // "25.11.2026 14:03" ("2026-11-25 14:03" in English) in the browser's
  // time zone.
  function localTime(iso) {
    if (!iso) {
      return "\u2014";
    }
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return "\u2014";
    }
    var day = RUSSIAN
      ? pad(d.getDate()) + "." + pad(d.getMonth() + 1) + "." + d.getFullYear()
      : d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    return day + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  // Matches views::billing::human_duration.
  function duration(startedIso, finishedIso) {
    if (!startedIso) {
      return "\u2014";
    }
    var end = finishedIso ? new Date(finishedIso) : new Date();
    var ms = Math.max(0, end.getTime() - new Date(startedIso).getTime());
    if (ms < 10000) {
      return Math.floor(ms / 1000) + "." + Math.floor((ms % 1000) / 100) + " s";
    }
    var secs = Math.floor(ms / 1000);
    if (secs < 60) {
      return secs + " s";
    }
    if (secs < 3600) {
      return Math.floor(secs / 60) + " min " + pad(secs % 60) + " s";
    }
    return Math.floor(secs / 3600) + " h " + pad(Math.floor((secs % 3600) / 60)) + " min";
  }

  function showOutcome(run) {
    var outcome = byId("run-outcome");
    if (!outcome) {
      return;
    }
    var refresh = byId("run-refresh");
    if (refresh && !isActive(run.status)) {
      refresh.parentNode.removeChild(refresh);
    }
    if (run.status === "completed" && !byId("run-results")) {
      var link = document.createElement("a");
      link.id = "run-results";
      link.className = "button";
      link.href = resultsHref;
      link.textContent = label("results-label", "See the results for " + run.period);
      outcome.insertBefore(link, outcome.firstChild);
    }
    if (run.status === "failed" && !byId("run-error")) {
      var error = document.createElement("p");
      error.id = "run-error";
      error.className = "form-summary";
      error.setAttribute("role", "alert");
      error.textContent = label("failed-label", "The run failed:") + " " +
        (run.error || label("no-reason", "no reason was recorded."));
      outcome.insertBefore(error, outcome.firstChild);
    }
  }

  function render(run) {
    var status = byId("run-status");
    if (status) {
      status.className = "tag tag-large tag-run-" + run.status;
      setText("run-status", STATUS_LABELS[run.status] || run.status);
    }
    section.setAttribute("data-status", run.status);
    var bar = byId("run-progress");
    if (bar) {
      var total = Math.max(run.total, 1);
      bar.max = total;
      bar.value = run.total > 0 ? Math.min(run.processed, run.total)
        : (run.status === "completed" ? 1 : 0);
      bar.textContent = run.percent + "%";
    }
    setText("run-percent", run.percent + "%");
    var counts = run.total === 1 ? label("counts-one", "{processed} of {total} apartment")
      : label("counts-other", "{processed} of {total} apartments");
    setText("run-counts", counts.replace("{processed}", grouped(String(run.processed)))
      .replace("{total}", grouped(String(run.total))));
    setText("run-amount", money(run.amount));
    setText("run-amount-label", isActive(run.status) ? label("amount-so-far-label", "Amount so far")
      : label("amount-label", "Amount"));
    setText("run-started", localTime(run.started_at));
    setText("run-finished", localTime(run.finished_at));
    setText("run-duration", duration(run.started_at, run.finished_at));
    showOutcome(run);
  }

  function poll() {
    fetch(api, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (run) {
        render(run);
        if (isActive(run.status)) {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        // The server restarting or a network hiccup: keep asking, slower.
        window.setTimeout(poll, RETRY);
      });
  }

  if (isActive(section.getAttribute("data-status"))) {
    window.setTimeout(poll, INTERVAL);
  }
})();
