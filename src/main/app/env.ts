// Settings read from the environment. A variable set to nothing (`HEARTBEAT_DATA_DIR= npm start`, a
// launcher's `${VAR}` left unset) is unset: as a folder, '' is the working directory, and the app
// would keep its cache, reviews or fine-tuned models wherever it was started (a repository's models/).

/** The variable's value, or undefined when it is unset, empty or only spaces. */
export function envSetting(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}
