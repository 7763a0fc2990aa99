//! `/dashboard/users`: the accounts a coordinator manages (an admin: every account; a
//! provider's coordinator: the employer coordinators they invited), invite a new one,
//! disable or re-enable. Server-function forms, so they work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::types::Role;
use crate::dashboard::api::{list_accounts, AddAccount, SetAccountDisabled};
use crate::dashboard::types::Account;
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::ui::form::{refusal, refusal_focused, ErrorSummary, FieldMessage};
use crate::ui::table::ScrollTable;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let add = ServerAction::<AddAccount>::new();
    let access = ServerAction::<SetAccountDisabled>::new();
    let (added, switched) = (successes(add), successes(access));
    let accounts = Resource::new(move || added.get() + switched.get(), |_| list_accounts());
    view! {
        <Title text="Coordinator accounts" />
        <DashboardNav current="" />
        <h1>"Coordinator accounts"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(v) => {
                        let roles = v.roles;
                        view! { <Accounts list=v.accounts access /> <AddForm add roles /> }.into_any()
                    }
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Accounts(list: Vec<Account>, access: ServerAction<SetAccountDisabled>) -> impl IntoView {
    let (_, message) = refusal(move || access.value().get());
    view! {
        {move || message.get().map(|m| view! { <p class="error-summary" role="alert">{m}</p> })}
        <ScrollTable label="Accounts table" caption="Coordinator accounts"
            headings=&["Name", "Role and organisation", "State", "Access"]>
            {list.into_iter().map(|a| {
                let state = match (a.disabled, a.invited) {
                    (true, _) => "Disabled",
                    (false, true) => "Invited (no password yet)",
                    (false, false) => "Active",
                };
                let role = a.organisation.clone().map(|o| format!("{}, {o}", a.role.label())).unwrap_or_else(|| a.role.label().to_owned());
                let role = match &a.nzbn { Some(n) => format!("{role} (NZBN {n})"), None => role };
                let (label, to) = match a.disabled {
                    true => (format!("Re-enable {}", a.name), "false"),
                    false => (format!("Disable {}", a.name), "true"),
                };
                view! {
                    <tr>
                        <th scope="row">{a.name.clone()}<br /><span class="muted">{a.email.clone()}</span></th>
                        <td>{role}</td>
                        <td>{state}</td>
                        <td>
                            <ActionForm action=access>
                                <input type="hidden" name="id" value=a.id.to_string() />
                                <input type="hidden" name="disabled" value=to />
                                <button type="submit" class="secondary" aria-label=label>{if a.disabled { "Re-enable" } else { "Disable" }}</button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
    }
}

#[component]
fn AddForm(add: ServerAction<AddAccount>, roles: Vec<Role>) -> impl IntoView {
    let admin = roles.contains(&Role::Admin);
    let (errors, message, rendered_refused) = refusal_focused(move || add.value().get());
    let done = move || {
        matches!(add.value().get(), Some(Ok(_)))
            .then_some("Invited. They will get an email with a link to choose their password.")
    };
    let field = move |name: &'static str,
                      id: &'static str,
                      label: &'static str,
                      kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type=kind maxlength="254" aria-describedby=format!("{id}-error") />
                <FieldMessage field=id errors />
            </div>
        }
    };
    view! {
        <section aria-labelledby="add-heading">
            <h2 id="add-heading">"Invite a coordinator"</h2>
            <p role="status" class="done">{done}</p>
            <ErrorSummary errors message autofocus=rendered_refused heading="Nobody was invited" />
            <ActionForm action=add attr:class="intake-form">
                {field("account[name]", "name", "Name", "text")}
                {field("account[email]", "email", "Email", "email")}
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" name="account[role]" aria-describedby="role-error">
                        {roles.into_iter().map(|r| view! {
                            <option value=r.as_str()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage field="role" errors />
                </div>
                {field("account[organisation]", "organisation", if admin { "Organisation (empty for an administrator)" } else { "Their employer (the organisation)" }, "text")}
                {field("account[nzbn]", "nzbn", "The employer's NZBN (optional)", "text")}
                <button type="submit">"Send the invitation"</button>
            </ActionForm>
        </section>
    }
}
