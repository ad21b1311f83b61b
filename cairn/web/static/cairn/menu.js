/* The header's Menu (a <details>: it opens and closes without this script). This adds what a
   menu button is expected to do: Escape closes it and returns focus to the button, a click
   outside closes it. In a browser too old to style the menu's contents open on a wide screen,
   the menu is opened there so the navigation shows in the bar. */
(function () {
  "use strict";

  var menu = document.querySelector(".site-menu");
  if (!menu) { return; }
  var button = menu.querySelector("summary");

  if (!CSS.supports("selector(::details-content)") && matchMedia("(min-width: 60.01rem)").matches) {
    menu.open = true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && button.offsetParent !== null) {
      menu.open = false;
      button.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (menu.open && button.offsetParent !== null && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
})();
