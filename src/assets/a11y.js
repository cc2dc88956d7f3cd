// Accessibility fixes on top of mdBook's default theme that CSS cannot make; see
// a11y.css and Appendix C. Each one checks that the element it fixes is there, so a
// newer mdBook that fixes it itself (or renames it) is left alone.
(function () {
  "use strict";

  // The sidebar's toggle is a <label> for a hidden checkbox: a keyboard cannot reach
  // it, and on a label `aria-expanded` (set by mdBook) is not allowed. As a button it
  // is focusable, its state is announced, and Enter or Space work as a click does.
  const toggle = document.getElementById("mdbook-sidebar-toggle");
  if (toggle && toggle.tagName === "LABEL") {
    toggle.setAttribute("role", "button");
    toggle.setAttribute("tabindex", "0");
    const sidebar = document.documentElement.classList.contains("sidebar-visible");
    if (!toggle.hasAttribute("aria-expanded")) {
      toggle.setAttribute("aria-expanded", String(sidebar));
    }
    toggle.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle.click();
      }
    });
  }

  // A code block or table wider than the page scrolls sideways; a keyboard can
  // scroll it only if it can focus it. Those that fit stay out of the tab order.
  function focusableWhenScrolling() {
    for (const box of document.querySelectorAll("pre > code, .table-wrapper")) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    }
  }
  focusableWhenScrolling();
  window.addEventListener("load", focusableWhenScrolling);
  window.addEventListener("resize", focusableWhenScrolling);

  // mdBook turns the page on a bare Left or Right arrow anywhere on it, which takes a
  // screen reader's user, or anyone moving through a code block by character, to
  // another chapter (mdBook issues #518 and #1789). Here the arrows turn the page only
  // while the focus is on the previous or next chapter's link; everywhere else they do
  // what the browser and the screen reader make them do. This listener runs first
  // (capture, on window) and keeps the key from mdBook's, not from the browser.
  window.addEventListener(
    "keydown",
    (event) => {
      const arrow = event.key === "ArrowLeft" || event.key === "ArrowRight";
      const bare = !(event.altKey || event.ctrlKey || event.metaKey || event.shiftKey);
      const onPageLink = document.activeElement?.closest?.(".nav-chapters, .mobile-nav-chapters");
      if (arrow && bare && !onPageLink) {
        event.stopPropagation();
      }
    },
    true,
  );
})();
