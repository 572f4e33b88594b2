export async function wordnetSynonyms(): Promise<null> {
  return null;
}
