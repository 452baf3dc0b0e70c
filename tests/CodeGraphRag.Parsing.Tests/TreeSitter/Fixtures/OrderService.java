package com.acme.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.*;
import static java.util.Objects.requireNonNull;

/** Places and lists orders. */
@Service
public class OrderService extends AbstractService<Order> implements OrderApi, AutoCloseable {
    private final OrderRepository repository;
    private final List<Order> pending = new ArrayList<>();

    public OrderService(OrderRepository repository) {
        this.repository = requireNonNull(repository);
    }

    @Override
    public Order place(String customer, int quantity) {
        Order order = new Order(customer, quantity);
        validate(order);
        repository.save(order);
        pending.add(order);
        return order;
    }

    public Order place(String customer) {
        return place(customer, 1);
    }

    private static void validate(Order order) {
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (order.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity");
                }
            }
        };
        check.run();
    }

    @Override
    public void close() {
        pending.clear();
    }

    public enum Status { NEW, SHIPPED }

    public record Order(String customer, int quantity) {
    }
}

interface OrderApi extends Api {
    Order place(String customer, int quantity);
}
