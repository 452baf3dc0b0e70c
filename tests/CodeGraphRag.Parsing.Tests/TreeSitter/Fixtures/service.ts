import { Injectable } from "@nestjs/core";
import type { Repository } from "./repository";
import * as crypto from "crypto";
import Logger, { LogLevel as Level } from "./logger";

export interface Entity {
  id: string;
  validate(): boolean;
}

export interface User extends Entity {
  email: string;
}

export type UserId = string;

export enum Role {
  Admin = "admin",
  Member = "member",
}

@Injectable()
export class UserService extends BaseService<User> implements Disposable, Auditable {
  private readonly logger = new Logger("users");

  constructor(private readonly repo: Repository<User>) {
    super(repo);
  }

  async register(email: string, role: Role = Role.Member): Promise<User> {
    const id = crypto.randomUUID();
    const user: User = { id, email, validate: () => isEmail(email) };
    await this.repo.save(user);
    this.logger.log(Level.Info, `registered ${id}`);
    return user;
  }

  [Symbol.dispose](): void {
    this.repo.close();
  }
}

export function isEmail(value: string): boolean {
  const normalize = (s: string): string => s.trim().toLowerCase();
  return /.+@.+/.test(normalize(value));
}
