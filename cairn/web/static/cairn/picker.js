/* People pickers: the ARIA combobox pattern over options that htmx loads as one types.
   Arrow keys move through the options, Enter or a click picks one, Escape closes the list.
   Without this script the box is a plain text input that the server resolves. */
(function () {
  "use strict";

  function listOf(input) { return document.getElementById(input.getAttribute("aria-controls")); }

  function choices(list) {
    return Array.from(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }

  function show(input, list, open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { input.removeAttribute("aria-activedescendant"); }
  }

  function activate(input, list, index) {
    choices(list).forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function pick(input, list, option) {
    var value = option.getAttribute("data-value");
    if (input.hasAttribute("data-many")) {
      var kept = input.value.split(",").slice(0, -1).map(function (s) { return s.trim(); }).filter(Boolean);
      kept.push(value);
      input.value = kept.join(", ") + ", ";
    } else {
      input.value = value;
    }
    show(input, list, false);
    input.focus();
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-picker")) { return; }
    var list = listOf(input);
    var options = choices(list);
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && options.length) {
      event.preventDefault();
      show(input, list, true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(input, list, current < 0 && step < 0 ? options.length - 1 : (current + step + options.length) % options.length);
    } else if (event.key === "Enter" && !list.hidden && current >= 0) {
      event.preventDefault();
      pick(input, list, options[current]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      show(input, list, false);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest ? event.target.closest('[role="option"]') : null;
    document.querySelectorAll("input[data-picker]").forEach(function (input) {
      var list = listOf(input);
      if (option && list.contains(option)) {
        event.preventDefault();
        if (option.getAttribute("aria-disabled") !== "true") { pick(input, list, option); }
      } else if (event.target !== input) {
        show(input, list, false);
      }
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!list.matches || !list.matches('[role="listbox"]')) { return; }
    var input = document.querySelector('[aria-controls="' + list.id + '"]');
    if (input) { show(input, list, list.children.length > 0 && document.activeElement === input); }
  });
})();
