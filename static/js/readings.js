// The month's readings form (templates/readings/month.html). Without this
// script the form works the same; with it, Enter moves down the column
// instead of submitting, and each row's consumption follows the typing.
(function () {
  "use strict";

  var form = document.getElementById("readings-form");
  if (!form) {
    return;
  }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.reading-input"));
  var submit = form.querySelector("button[type=submit]");
  // The page's way of writing figures (templates/readings/month.html):
  // "," and a no-break space in Russian, "." and none in English.
  var decimalMark = form.getAttribute("data-decimal") || ".";
  var thousandsMark = form.getAttribute("data-thousands") || "";

  // A reading in exact thousandths of m³ (BigInt, never a float), read as
  // the server reads it: spaces dropped, a decimal comma or point, at most
  // three places. null when it is no such number.
  function thousandths(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f\u2009]/g, "").replace(",", ".");
    var match = /^(\d+)(?:\.(\d{0,3}))?$/.exec(cleaned);
    if (!match) {
      return null;
    }
    var fraction = (match[2] || "").padEnd(3, "0");
    return BigInt(match[1]) * 1000n + BigInt(fraction);
  }

  function format(value) {
    var negative = value < 0n;
    var size = negative ? -value : value;
    var whole = (size / 1000n).toString();
    if (thousandsMark) {
      whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousandsMark);
    }
    var text = whole + decimalMark + (size % 1000n).toString().padStart(3, "0");
    return negative ? "-" + text : text;
  }

  function update(input) {
    var cell = document.getElementById("consumption-" + input.name);
    var shown = cell && cell.querySelector(".consumption-value");
    if (!shown) {
      return;
    }
    var value = thousandths(input.value);
    var previous = thousandths(input.getAttribute("data-previous") || "");
    if (value === null || previous === null) {
      shown.textContent = "\u2014";
      cell.classList.remove("negative");
      return;
    }
    var consumption = value - previous;
    shown.textContent = format(consumption);
    cell.classList.toggle("negative", consumption < 0n);
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("reading-input")) {
      update(event.target);
    }
  });

  // Enter goes to the next reading, and from the last one to the button;
  // Enter on the button submits as usual.
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !target.classList.contains("reading-input")) {
      return;
    }
    event.preventDefault();
    var next = inputs[inputs.indexOf(target) + 1];
    if (next) {
      next.focus();
      next.select();
    } else if (submit) {
      submit.focus();
    }
  });
})();
