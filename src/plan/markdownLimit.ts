// The markdown plan's default size budget, apart from its renderer so that the command line can show it
// without loading any renderer: below GitHub's 65,536-character limit on a comment, with room for a
// marker the workflow adds.
export const defaultMarkdownLimit = 60_000;
