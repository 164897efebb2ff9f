import { render } from "preact";
import { App } from "./app.js";
import { KeyDialog } from "./components/key-dialog.js";
import "./styles.css";

render(<App />, document.getElementById("app")!);
// The API key prompt stands apart from the pages: any page's request may need the key.
render(<KeyDialog />, document.body.appendChild(document.createElement("div")));
