import React, { useState } from "react";
import { fetchUser } from "../api/users";

interface ProfileProps {
  userId: string;
}

export function Profile({ userId }: ProfileProps) {
  const [name, setName] = useState<string>("");

  function load() {
    fetchUser(userId).then((u) => setName(u.name));
  }

  return <button onClick={load}>{name || "Load"}</button>;
}

export class ProfileCard extends React.Component<ProfileProps> {
  render() {
    return <Profile userId={this.props.userId} />;
  }
}
