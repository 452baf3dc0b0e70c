// Express routes for the user API.
import express from "express";
import * as path from "node:path";
import { UserStore, AuditLog as Audit } from "./store.js";
import "./polyfills.js";
const { promisify } = require("util");
const fs = require("fs");

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class UserController extends base.Controller {
  #store;

  constructor(store) {
    super();
    this.#store = store ?? new UserStore(path.join(process.cwd(), "users.db"));
  }

  async show(req, res) {
    const user = await this.#store.find(req.params.id);
    if (!user) {
      throw new HttpError(404, "not found");
    }
    res.json(user);
  }
}

export function createRouter(store) {
  const router = express.Router();
  const controller = new UserController(store);

  function wrap(handler) {
    return (req, res, next) => handler(req, res).catch(next);
  }

  router.get("/users/:id", wrap(controller.show.bind(controller)));
  return router;
}

export const readConfig = async (file) => JSON.parse(await promisify(fs.readFile)(file, "utf8"));
