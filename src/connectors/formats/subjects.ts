/** Assigns subject indices in first-seen order. */
export class SubjectIndex {
  readonly names: string[] = [];
  private readonly indices = new Map<string, number>();

  indexOf(name: string): number {
    let index = this.indices.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.indices.set(name, index);
    }
    return index;
  }
}
