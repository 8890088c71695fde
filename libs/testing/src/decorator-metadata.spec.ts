import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { Injectable, Inject } from '@nestjs/common';

@Injectable()
class Dep {
  value = 42;
}
@Injectable()
class User {
  constructor(readonly dep: Dep) {}
}
describe('decorator metadata', () => {
  it('is emitted', () => {
    const types = Reflect.getMetadata('design:paramtypes', User) as unknown[];
    expect(types[0]).toBe(Dep);
    expect(Inject).toBeTypeOf('function');
  });
});
