// Prettier (`npm run format`, `npm run format:check`), set close to the code's own style so that
// adopting it moves as few lines as possible: double quotes, semicolons and trailing commas
// everywhere, as written today; long lines (the median line is 40 characters, 1 in 100 is over
// 150), so a 160-column page (120 would rewrap 368 files, 160: 227 with far fewer lines).
// Markdown and CSS are left as written (.prettierignore).
/** @type {import("prettier").Config} */
export default {
  printWidth: 160,
  trailingComma: "all",
};
