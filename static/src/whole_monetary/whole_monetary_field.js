import { registry } from "@web/core/registry";
import { MonetaryField, monetaryField } from "@web/views/fields/monetary/monetary_field";

/**
 * A monetary amount shown without decimals: allocations are whole multiples of
 * their rounding unit, and ".00" after a billion only pushes the figure out of
 * its column.
 */
export class WholeMonetaryField extends MonetaryField {
    get currencyDigits() {
        const digits = super.currencyDigits;
        return [digits ? digits[0] : 16, 0];
    }
}

registry.category("fields").add("sale_target_whole_monetary", {
    ...monetaryField,
    component: WholeMonetaryField,
});
