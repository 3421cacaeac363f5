// Where the embedded store keeps the state unless --state says otherwise; its own module so that the
// command line can show it in --help without loading the store.
export const defaultStatePath = ".fabricate/state.json";
