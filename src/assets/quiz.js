// The chapters' quizzes: checks an answer in the page, shows why, and remembers it.
//
// The markup comes from the book's preprocessor (`{{#quiz quiz.toml}}`, see
// xtask/src/quiz.rs). Each question is a <form class="quiz-question"> whose data
// attributes hold the key, which CI proved by compiling or running the question's code:
// data-answer (the index of the right choice) or data-accept (JSON list of accepted
// short answers, already lower case). Answers are kept in localStorage, so they
// survive a reload and are shared by the chapter's page and the print page.
"use strict";

(function () {
  const storagePrefix = "rust-in-2026.quiz.";

  function load(key) {
    try {
      return window.localStorage.getItem(storagePrefix + key);
    } catch {
      return null; // storage disabled: the quiz still works, it just forgets
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(storagePrefix + key, value);
    } catch {
      // as above
    }
  }

  // Compared the way the preprocessor normalised the key: case, spaces and backticks
  // around the answer do not matter.
  function normalise(text) {
    return text.trim().replace(/^`+|`+$/g, "").trim().toLowerCase();
  }

  function given(form) {
    const text = form.querySelector('input[type="text"]');
    if (text) {
      return text.value;
    }
    const checked = form.querySelector('input[type="radio"]:checked');
    return checked ? checked.value : null;
  }

  function isRight(form, answer) {
    if (form.querySelector('input[type="text"]')) {
      const accepted = JSON.parse(form.dataset.accept);
      return accepted.includes(normalise(answer));
    }
    return answer === form.dataset.answer;
  }

  function showVerdict(form, answer) {
    const feedback = form.querySelector(".quiz-feedback");
    const explanation = form.querySelector(".quiz-explanation");
    const right = isRight(form, answer);
    form.classList.toggle("quiz-right", right);
    form.classList.toggle("quiz-wrong", !right);
    // The key is written as HTML by the preprocessor, from the quiz file.
    feedback.innerHTML = right
      ? "<strong>Right.</strong> " + form.dataset.shownAnswer
      : "<strong>Not quite.</strong> The answer: " + form.dataset.shownAnswer;
    explanation.hidden = false;
  }

  function restore(form, answer) {
    const text = form.querySelector('input[type="text"]');
    if (text) {
      text.value = answer;
    } else {
      const choice = form.querySelector(
        'input[type="radio"][value="' + CSS.escape(answer) + '"]'
      );
      if (!choice) {
        return; // the quiz changed since the answer was saved
      }
      choice.checked = true;
    }
    showVerdict(form, answer);
  }

  function setUp(form) {
    const saved = load(form.id);
    if (saved !== null) {
      restore(form, saved);
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answer = given(form);
      const feedback = form.querySelector(".quiz-feedback");
      if (answer === null || answer.trim() === "") {
        feedback.textContent = "Choose or type an answer first.";
        return;
      }
      save(form.id, answer);
      showVerdict(form, answer);
    });
  }

  document.querySelectorAll("form.quiz-question").forEach(setUp);
})();
